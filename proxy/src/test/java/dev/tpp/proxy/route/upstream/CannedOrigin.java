package dev.tpp.proxy.route.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An origin that answers each bodiless request with the exact bytes given for its path (so a test
 * can send what Netty would not: odd framing, obs-fold, interim responses), closing the connection
 * after the paths listed as closing. Plain blocking sockets on its own threads, for tests only.
 */
final class CannedOrigin implements AutoCloseable {
  private final Map<String, String> answers;
  private final Map<String, Boolean> closes;
  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool();

  /** {@code answers}: path → response bytes; {@code closes}: path → close after answering. */
  CannedOrigin(Map<String, String> answers, Map<String, Boolean> closes) throws IOException {
    this.answers = answers;
    this.closes = closes;
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        threads.execute(() -> serve(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      for (String head; (head = readHead(in)) != null; ) {
        String path = head.split(" ", 3)[1];
        s.getOutputStream().write(answers.get(path).getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        if (closes.getOrDefault(path, false)) {
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      // the proxy closed the connection: nothing more to answer
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    for (int c; (c = in.read()) >= 0; ) {
      head.write(c);
      String text = head.toString(StandardCharsets.ISO_8859_1);
      if (text.endsWith("\r\n\r\n")) {
        return text;
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
