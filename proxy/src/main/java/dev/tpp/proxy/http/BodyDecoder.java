package dev.tpp.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Frames one message body (a request's, or an origin's response), strictly: a fixed {@code
 * Content-Length}, or RFC 9112 §7.1 chunked — a chunk size of 1 to 15 hex digits, then optional
 * {@code ;extensions} of visible ASCII (BWS before the {@code ;} only), CRLF, exactly that many
 * bytes, CRLF; after the {@code 0} chunk, trailer fields up to an empty line (checked, then
 * dropped). Any other byte (a sign, {@code 0x}, trailing space, a bare LF, data longer than its
 * size, an overlong line) throws {@link RequestRejectedException}. Emits retained slices of the
 * decoder's buffer, the last one as a {@link LastHttpContent} without trailers. One instance per
 * body, on the connection's event loop.
 */
public final class BodyDecoder {
  private static final int MAX_PIECE = 64 * 1024;
  private static final int MAX_CHUNK_LINE = 4096;
  private static final int MAX_SIZE_DIGITS = 15; // < 2^60: no overflow in a long

  private enum State {
    FIXED,
    SIZE,
    DATA,
    DATA_END,
    TRAILER,
    DONE
  }

  private final int maxTrailerBytes;
  private final boolean chunked;
  private State state;
  private long remaining;
  private int trailerBytes;

  private BodyDecoder(State state, long remaining, int maxTrailerBytes) {
    this.state = state;
    this.remaining = remaining;
    this.maxTrailerBytes = maxTrailerBytes;
    this.chunked = state == State.SIZE;
  }

  public static BodyDecoder fixed(long length) {
    return new BodyDecoder(State.FIXED, length, 0);
  }

  /**
   * This fixed-length decoder, set up again for the next body of {@code length} bytes, as {@link
   * #fixed} would make it: a keepalive connection's decoder frames one response after another
   * without an object per response. Only once the body before is done (or abandoned).
   */
  public BodyDecoder restartFixed(long length) {
    if (chunked) {
      throw new IllegalStateException("restartFixed on a chunked decoder");
    }
    state = State.FIXED;
    remaining = length;
    return this;
  }

  public static BodyDecoder chunked(int maxTrailerBytes) {
    return new BodyDecoder(State.SIZE, 0, maxTrailerBytes);
  }

  boolean isChunked() {
    return chunked;
  }

  /** Decodes what {@code in} holds; true once the body's last content is in {@code out}. */
  public boolean decode(ByteBuf in, List<Object> out) {
    while (state != State.DONE && in.isReadable()) {
      boolean progressed =
          switch (state) {
            case FIXED -> fixed(in, out);
            case SIZE -> size(in);
            case DATA -> data(in, out);
            case DATA_END -> dataEnd(in);
            case TRAILER -> trailer(in, out);
            case DONE -> false;
          };
      if (!progressed) {
        break;
      }
    }
    return state == State.DONE;
  }

  private boolean fixed(ByteBuf in, List<Object> out) {
    int n = (int) Math.min(Math.min(remaining, in.readableBytes()), MAX_PIECE);
    remaining -= n;
    if (remaining == 0) {
      // No trailers: a DefaultLastHttpContent of its own would allocate an empty header map.
      out.add(new DefaultLastHttpContent(in.readRetainedSlice(n), EmptyHttpHeaders.INSTANCE));
      state = State.DONE;
    } else {
      out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
    }
    return true;
  }

  private boolean size(ByteBuf in) {
    int lf = lineEnd(in, MAX_CHUNK_LINE, "chunk size line");
    if (lf < 0) {
      return false;
    }
    int start = in.readerIndex();
    int i = start;
    long size = 0;
    while (i < lf - 1 && Character.digit(in.getByte(i), 16) >= 0) {
      if (i - start == MAX_SIZE_DIGITS) {
        throw RequestRejectedException.badRequest(
            "chunk size has more than " + MAX_SIZE_DIGITS + " hex digits");
      }
      size = size * 16 + Character.digit(in.getByte(i), 16);
      i++;
    }
    if (i == start) {
      throw RequestRejectedException.badRequest(
          "chunk size is not a hex number (got " + RequestLine.hex(in.getByte(i)) + ")");
    }
    extensions(in, i, lf - 1);
    in.readerIndex(lf + 1);
    remaining = size;
    state = size == 0 ? State.TRAILER : State.DATA;
    return true;
  }

  /** {@code *( BWS ";" ext )} where the extensions are visible ASCII, spaces and tabs. */
  private static void extensions(ByteBuf in, int from, int end) {
    int i = from;
    while (i < end && (in.getByte(i) == ' ' || in.getByte(i) == '\t')) {
      i++;
    }
    if (i < end && in.getByte(i) != ';' || i == end && i != from) {
      throw RequestRejectedException.badRequest(
          "unexpected "
              + RequestLine.hex(in.getByte(Math.min(i, end - 1)))
              + " after the chunk size");
    }
    for (; i < end; i++) {
      byte c = in.getByte(i);
      if ((c < 0x20 && c != '\t') || c >= 0x7f) {
        throw RequestRejectedException.badRequest(
            "invalid character " + RequestLine.hex(c) + " in a chunk extension");
      }
    }
  }

  private boolean data(ByteBuf in, List<Object> out) {
    int n = (int) Math.min(Math.min(remaining, in.readableBytes()), MAX_PIECE);
    out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
    remaining -= n;
    if (remaining == 0) {
      state = State.DATA_END;
    }
    return true;
  }

  private boolean dataEnd(ByteBuf in) {
    if (in.readableBytes() < 2) {
      return false;
    }
    if (in.getByte(in.readerIndex()) != '\r' || in.getByte(in.readerIndex() + 1) != '\n') {
      throw RequestRejectedException.badRequest(
          "chunk data is not followed by CRLF (longer than its size?)");
    }
    in.skipBytes(2);
    state = State.SIZE;
    return true;
  }

  private boolean trailer(ByteBuf in, List<Object> out) {
    int lf = lineEnd(in, Math.max(0, maxTrailerBytes - trailerBytes), "trailer section");
    if (lf < 0) {
      return false;
    }
    int start = in.readerIndex();
    trailerBytes += lf + 1 - start;
    if (lf - 1 == start) {
      in.readerIndex(lf + 1);
      out.add(LastHttpContent.EMPTY_LAST_CONTENT); // trailer fields are not forwarded
      state = State.DONE;
      return true;
    }
    trailerField(in, start, lf - 1);
    in.readerIndex(lf + 1);
    return true;
  }

  /** {@code token ":" value} with no controls but tab; no obs-fold. */
  private static void trailerField(ByteBuf in, int start, int end) {
    int colon = in.indexOf(start, end, (byte) ':');
    if (colon <= start) {
      throw RequestRejectedException.badRequest("malformed trailer field");
    }
    for (int i = start; i < end; i++) {
      byte c = in.getByte(i);
      boolean bad =
          i < colon
              ? c <= 0x20 || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0
              : (c < 0x20 && c != '\t') || c == 0x7f;
      if (bad) {
        throw RequestRejectedException.badRequest(
            "invalid character " + RequestLine.hex(c) + " in a trailer field");
      }
    }
  }

  /**
   * The index of the LF ending the line at the reader index (which must be preceded by CR), or -1
   * if not yet here.
   */
  private static int lineEnd(ByteBuf in, int max, String what) {
    int start = in.readerIndex();
    int lf = in.indexOf(start, start + Math.min(in.readableBytes(), max + 2), (byte) '\n');
    if (lf < 0) {
      if (in.readableBytes() > max + 1) {
        throw RequestRejectedException.badRequest(what + " longer than " + max + " bytes");
      }
      return -1;
    }
    if (lf == start || in.getByte(lf - 1) != '\r') {
      throw RequestRejectedException.badRequest(what + " ends with a bare LF");
    }
    int cr = in.indexOf(start, lf - 1, (byte) '\r');
    if (cr >= 0) {
      throw RequestRejectedException.badRequest(what + " holds a bare CR");
    }
    return lf;
  }
}
