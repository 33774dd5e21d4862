package dev.tpp.proxy.http.corpus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;

/**
 * An origin that records the raw bytes each connection brings and parses them strictly itself (no
 * Netty): every complete request (head, then a Content-Length or chunked body), answered {@code 200
 * ok}, and whatever else came (bytes that are not a complete request). Plain blocking sockets on
 * its own threads, for tests only.
 */
final class RecordingOrigin implements AutoCloseable {
  /** One request the origin parsed whole: its request line, head and body. */
  record Request(String line, List<String> headers, byte[] body) {
    List<String> all(String name) {
      List<String> values = new ArrayList<>();
      for (String h : headers) {
        int colon = h.indexOf(':');
        if (h.substring(0, colon).equalsIgnoreCase(name)) {
          values.add(h.substring(colon + 1).trim());
        }
      }
      return values;
    }
  }

  /**
   * What one connection carried: the requests it parsed whole and any bytes left over when it
   * closed.
   */
  record Connection(List<Request> requests, byte[] leftover) {}

  final ConcurrentLinkedQueue<Connection> connections = new ConcurrentLinkedQueue<>();
  private final Phaser open = new Phaser(1); // one party per open connection, plus the origin's own
  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool();

  RecordingOrigin() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  /**
   * Waits until every connection opened so far was closed by the proxy, then returns and forgets
   * them.
   */
  List<Connection> settle() throws Exception {
    int phase = open.arrive();
    open.awaitAdvanceInterruptibly(phase, 10, TimeUnit.SECONDS);
    List<Connection> done = new ArrayList<>(connections);
    connections.clear();
    return done;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        open.register();
        threads.execute(() -> serve(socket));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket socket) {
    List<Request> requests = new ArrayList<>();
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    try (socket) {
      socket.setSoTimeout(20_000);
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        pending.write(buf, 0, n);
        for (Request r; (r = RequestParser.next(pending)) != null; ) {
          requests.add(r);
          out.write(
              "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n"
                  .getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      }
    } catch (IOException e) {
      // a reset or a timeout ends the connection like a close does
    } finally {
      connections.add(new Connection(requests, pending.toByteArray()));
      open.arriveAndDeregister();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }

  /**
   * Parses one whole request off the front of a buffer, strictly; null while it is not all there
   * (or malformed).
   */
  static final class RequestParser {
    private RequestParser() {}

    static Request next(ByteArrayOutputStream pending) {
      byte[] b = pending.toByteArray();
      String text = new String(b, StandardCharsets.ISO_8859_1);
      int headEnd = text.indexOf("\r\n\r\n");
      if (headEnd < 0) {
        return null;
      }
      String[] lines = text.substring(0, headEnd).split("\r\n", -1);
      List<String> headers = List.of(lines).subList(1, lines.length);
      Request head = new Request(lines[0], headers, new byte[0]);
      int bodyStart = headEnd + 4;
      int end;
      byte[] body;
      List<String> te = head.all("transfer-encoding");
      if (!te.isEmpty()) {
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        end = chunked(text, bodyStart, decoded);
        body = decoded.toByteArray();
      } else {
        List<String> cl = head.all("content-length");
        int length = cl.isEmpty() ? 0 : Integer.parseInt(cl.get(0));
        end = b.length >= bodyStart + length ? bodyStart + length : -1;
        body = end < 0 ? null : java.util.Arrays.copyOfRange(b, bodyStart, end);
      }
      if (end < 0) {
        return null;
      }
      pending.reset();
      pending.write(b, end, b.length - end);
      return new Request(head.line(), headers, body);
    }

    /** The end index of a chunked body starting at {@code at}, or -1 while incomplete. */
    private static int chunked(String text, int at, ByteArrayOutputStream out) {
      while (true) {
        int eol = text.indexOf("\r\n", at);
        if (eol < 0) {
          return -1;
        }
        int size = Integer.parseInt(text.substring(at, eol).toLowerCase(Locale.ROOT), 16);
        if (size == 0) {
          int trailerEnd = text.indexOf("\r\n", eol + 2);
          return trailerEnd == eol + 2 ? trailerEnd + 2 : -1; // tpp sends no trailers
        }
        if (text.length() < eol + 2 + size + 2) {
          return -1;
        }
        out.writeBytes(
            text.substring(eol + 2, eol + 2 + size).getBytes(StandardCharsets.ISO_8859_1));
        at = eol + 2 + size + 2;
      }
    }
  }
}
