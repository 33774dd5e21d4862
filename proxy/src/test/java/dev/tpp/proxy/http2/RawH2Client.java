package dev.tpp.proxy.http2;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/2 client that writes frames byte by byte (h2c, prior knowledge), so tests can send what a
 * real client never would: floods, bad headers, frames out of place. HPACK is literal-only (no
 * dynamic table, no Huffman).
 */
final class RawH2Client implements AutoCloseable {
  static final int DATA = 0;
  static final int HEADERS = 1;
  static final int RST_STREAM = 3;
  static final int SETTINGS = 4;
  static final int PING = 6;
  static final int GOAWAY = 7;
  static final int WINDOW_UPDATE = 8;
  static final int CONTINUATION = 9;
  static final int END_STREAM = 1;
  static final int END_HEADERS = 4;

  /** A frame as read: type, flags, stream id, payload. */
  record Frame(int type, int flags, int stream, byte[] payload) {
    /** The last stream id of a GOAWAY frame. */
    int lastStreamId() {
      return ((payload[0] & 0x7f) << 24)
          | ((payload[1] & 0xff) << 16)
          | ((payload[2] & 0xff) << 8)
          | (payload[3] & 0xff);
    }

    /** The error code of a RST_STREAM or GOAWAY frame. */
    int errorCode() {
      int at = type == GOAWAY ? 4 : 0;
      return ((payload[at] & 0xff) << 24)
          | ((payload[at + 1] & 0xff) << 16)
          | ((payload[at + 2] & 0xff) << 8)
          | (payload[at + 3] & 0xff);
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;

  /**
   * Connects, sends the preface and SETTINGS with {@code initialWindow} (-1: default), and ACKs the
   * server's.
   */
  RawH2Client(int port, int initialWindow) throws IOException {
    this(new Socket("127.0.0.1", port));
    preface(initialWindow);
  }

  /**
   * Over {@code socket}, already connected (plain, or TLS whose ALPN chose h2); sends nothing until
   * {@link #preface}.
   */
  RawH2Client(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(10_000);
    out = socket.getOutputStream();
    in = new DataInputStream(socket.getInputStream());
  }

  /** The client preface and SETTINGS with {@code initialWindow} (-1: default). */
  RawH2Client preface(int initialWindow) throws IOException {
    out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    byte[] settings =
        initialWindow < 0
            ? new byte[0]
            : new byte[] {
              0,
              4,
              (byte) (initialWindow >>> 24),
              (byte) (initialWindow >>> 16),
              (byte) (initialWindow >>> 8),
              (byte) initialWindow
            };
    return frame(SETTINGS, 0, 0, settings);
  }

  /**
   * A HEADERS frame for a request; {@code extra} are more name/value pairs, sent as given (case
   * included).
   */
  RawH2Client request(int stream, String method, String path, boolean endStream, String... extra)
      throws IOException {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    literal(block, ":method", method);
    literal(block, ":scheme", "http");
    literal(block, ":path", path);
    literal(block, ":authority", "h2.test");
    for (int i = 0; i < extra.length; i += 2) {
      literal(block, extra[i], extra[i + 1]);
    }
    return frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, block.toByteArray());
  }

  RawH2Client frame(int type, int flags, int stream, byte[] payload) throws IOException {
    byte[] head = {
      (byte) (payload.length >>> 16),
      (byte) (payload.length >>> 8),
      (byte) payload.length,
      (byte) type,
      (byte) flags,
      (byte) (stream >>> 24),
      (byte) (stream >>> 16),
      (byte) (stream >>> 8),
      (byte) stream
    };
    out.write(head);
    out.write(payload);
    out.flush();
    return this;
  }

  RawH2Client rst(int stream, int code) throws IOException {
    return frame(
        RST_STREAM,
        0,
        stream,
        new byte[] {(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code});
  }

  /**
   * The next frame, SETTINGS and their ACKs answered and skipped; null when the server closed the
   * connection.
   */
  Frame read() throws IOException {
    while (true) {
      byte[] head = new byte[9];
      try {
        in.readFully(head);
      } catch (IOException closed) {
        if (closed instanceof SocketTimeoutException) {
          throw closed;
        }
        return null;
      }
      int length = ((head[0] & 0xff) << 16) | ((head[1] & 0xff) << 8) | (head[2] & 0xff);
      byte[] payload = new byte[length];
      in.readFully(payload);
      Frame f =
          new Frame(
              head[3],
              head[4] & 0xff,
              ((head[5] & 0x7f) << 24)
                  | ((head[6] & 0xff) << 16)
                  | ((head[7] & 0xff) << 8)
                  | (head[8] & 0xff),
              payload);
      if (f.type() == SETTINGS) {
        if ((f.flags() & 1) == 0) {
          frame(SETTINGS, 1, 0, new byte[0]);
        }
        continue;
      }
      return f;
    }
  }

  /**
   * Reads until a frame of {@code type} (on {@code stream}, or any when -1) arrives; null if the
   * connection closed.
   */
  Frame await(int type, int stream) throws IOException {
    for (Frame f = read(); f != null; f = read()) {
      if (f.type() == type && (stream < 0 || f.stream() == stream)) {
        return f;
      }
    }
    return null;
  }

  private static void literal(ByteArrayOutputStream block, String name, String value) {
    block.write(0x00); // literal header field without indexing, new name
    block.write(name.length());
    block.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
    block.write(value.length());
    block.writeBytes(value.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
