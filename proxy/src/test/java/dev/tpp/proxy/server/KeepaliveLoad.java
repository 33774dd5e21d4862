package dev.tpp.proxy.server;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Continuous keepalive load for reload tests: {@code threads} clients, each on one raw HTTP/1.1
 * connection, sending GETs back to back and reconnecting only when a response says {@code
 * Connection: close}. Everything that is not a complete 200 with an expected body counts as a
 * failure, with its reason kept. A connection the server closed before any byte of a response is
 * counted apart ({@link #closedBeforeResponse}): RFC 9112 lets a client retry that idempotent
 * request on a new connection, which this client does once. Bounded: stops at {@link #stop} or
 * after {@code maxMillis}.
 */
final class KeepaliveLoad implements AutoCloseable {
  final AtomicLong sent = new AtomicLong();
  final AtomicLong ok = new AtomicLong();
  final AtomicLong reconnects = new AtomicLong();
  final AtomicLong closedBeforeResponse = new AtomicLong();
  final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  private final int port;
  private final String path;
  private final Set<String> bodies;
  private final long deadline;
  private final String connectionHeader;

  KeepaliveLoad(
      int port, String path, Set<String> expectedBodies, int threadCount, long maxMillis) {
    this(port, path, expectedBodies, threadCount, maxMillis, false);
  }

  /**
   * With {@code newConnectionEach}, every request asks for {@code Connection: close} (connection
   * churn).
   */
  KeepaliveLoad(
      int port,
      String path,
      Set<String> expectedBodies,
      int threadCount,
      long maxMillis,
      boolean newConnectionEach) {
    this.connectionHeader = newConnectionEach ? "Connection: close\r\n" : "";
    this.port = port;
    this.path = path;
    this.bodies = expectedBodies;
    this.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
    for (int i = 0; i < threadCount; i++) {
      Thread t = new Thread(this::run, "keepalive-load-" + i);
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
  }

  private void run() {
    Socket socket = null;
    try {
      while (!stop.get() && System.nanoTime() < deadline) {
        if (socket == null) {
          socket = connect();
        }
        Response r;
        try {
          sent.incrementAndGet();
          r = exchange(socket);
        } catch (EOFException early) {
          closedBeforeResponse.incrementAndGet();
          socket.close();
          socket = connect();
          r = exchange(socket); // the one retry an idempotent request may get
        }
        if (r.status == 200 && bodies.contains(r.body)) {
          ok.incrementAndGet();
        } else {
          failures.add("status " + r.status + " body " + r.body);
        }
        if (r.close) {
          reconnects.incrementAndGet();
          socket.close();
          socket = null;
        }
      }
    } catch (IOException e) {
      failures.add(e.toString());
    } finally {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // closing after the run
        }
      }
    }
  }

  private Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout(10_000);
    s.setTcpNoDelay(true);
    return s;
  }

  private record Response(int status, String body, boolean close) {}

  private Response exchange(Socket socket) throws IOException {
    OutputStream out = socket.getOutputStream();
    try {
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: load\r\n" + connectionHeader + "\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    } catch (SocketException e) {
      throw new EOFException("closed before the request went out: " + e);
    }
    InputStream in = socket.getInputStream();
    String head = readHead(in);
    int status = Integer.parseInt(head.substring(9, 12));
    String lower = head.toLowerCase();
    int cl = lower.indexOf("content-length:");
    int length = cl < 0 ? 0 : Integer.parseInt(lower.substring(cl + 15).split("\r\n")[0].trim());
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new IOException("body cut after " + body.length + " of " + length + " bytes");
    }
    return new Response(
        status, new String(body, StandardCharsets.UTF_8), lower.contains("connection: close"));
  }

  /**
   * The response head; EOF before its first byte is an {@link EOFException} (closed before the
   * response).
   */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        if (head.size() == 0) {
          throw new EOFException("connection closed before the response");
        }
        throw new IOException("connection closed inside a response head: " + head);
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** Stops the clients and waits for them (bounded). */
  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(15_000);
    }
  }
}
