package dev.tpp.proxy.route.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * Frames body pieces as HTTP/1.1 chunks (RFC 9112 §7.1) where the length is unknown — a response to
 * the client, a request body to the origin — as Netty's encoder did: one chunk per piece, then
 * {@code 0 CRLF CRLF} without trailers. A small piece is copied in with its framing (one buffer); a
 * large one is framed by a composite of prefix, piece and suffix. Takes ownership of the piece;
 * event loop.
 */
final class ChunkFraming {
  private static final int COPY_BELOW = 1024;
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LAST = {'0', '\r', '\n', '\r', '\n'};

  private ChunkFraming() {}

  /** {@code piece} as one chunk; an empty piece stays empty (an empty chunk would end the body). */
  static ByteBuf chunk(ByteBuf piece, ByteBufAllocator alloc) {
    return frame(piece, alloc, false);
  }

  /** {@code piece} (maybe empty) as the last chunk, then the end of the body. */
  static ByteBuf last(ByteBuf piece, ByteBufAllocator alloc) {
    return frame(piece, alloc, true);
  }

  private static ByteBuf frame(ByteBuf piece, ByteBufAllocator alloc, boolean last) {
    int n = piece.readableBytes();
    if (n == 0) {
      if (!last) {
        return piece;
      }
      piece.release();
      return alloc.buffer(LAST.length).writeBytes(LAST);
    }
    ByteBuf prefix = alloc.buffer(n < COPY_BELOW ? n + 32 : 16);
    writeSize(prefix, n);
    if (n < COPY_BELOW) {
      prefix.writeBytes(piece);
      piece.release();
      return suffix(prefix, last);
    }
    ByteBuf suffix = suffix(alloc.buffer(8), last);
    return alloc.compositeBuffer(3).addComponents(true, prefix, piece, suffix);
  }

  private static void writeSize(ByteBuf out, int n) {
    int shift = 28;
    while (shift > 0 && (n >>> shift) == 0) {
      shift -= 4;
    }
    for (; shift >= 0; shift -= 4) {
      out.writeByte(HEX[(n >>> shift) & 0xf]);
    }
    out.writeByte('\r').writeByte('\n');
  }

  private static ByteBuf suffix(ByteBuf out, boolean last) {
    out.writeByte('\r').writeByte('\n');
    return last ? out.writeBytes(LAST) : out;
  }
}
