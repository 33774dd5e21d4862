package dev.tpp.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A raw socket for requests java.net.http will not send (malformed, pipelined, slow). Reads are
 * bounded in time.
 */
public final class RawClient implements AutoCloseable {
  private final Socket socket = new Socket();

  public RawClient(int port) throws IOException {
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
  }

  public RawClient send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  /** Reads until the peer closes the connection (or the read timeout). */
  public String readUntilClose() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new IOException(
          "peer did not close within the timeout; got: "
              + out.toString(StandardCharsets.ISO_8859_1),
          e);
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** Reads until {@code count} complete responses (by Content-Length) have arrived. */
  public String readResponses(int count) throws IOException {
    StringBuilder all = new StringBuilder();
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[8192];
    while (completeResponses(all.toString()) < count) {
      int n = in.read(buf);
      if (n < 0) {
        break;
      }
      all.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
    }
    return all.toString();
  }

  static int completeResponses(String text) {
    int count = 0;
    int at = 0;
    while (true) {
      int headEnd = text.indexOf("\r\n\r\n", at);
      if (headEnd < 0) {
        return count;
      }
      String head = text.substring(at, headEnd).toLowerCase();
      int cl = head.indexOf("content-length:");
      int length = cl < 0 ? 0 : Integer.parseInt(head.substring(cl + 15).split("\r\n")[0].trim());
      if (text.length() < headEnd + 4 + length) {
        return count;
      }
      count++;
      at = headEnd + 4 + length;
    }
  }

  /** True when the peer has closed: a read returns end-of-stream. */
  public boolean isClosedByPeer() throws IOException {
    try {
      return socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  public Socket socket() {
    return socket;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
