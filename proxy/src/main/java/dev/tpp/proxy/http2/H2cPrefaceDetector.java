package dev.tpp.proxy.http2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * On a plain listener with {@code http2: true}: a connection that opens with the HTTP/2 client
 * preface ({@code PRI * HTTP/2.0...}, "prior knowledge", RFC 9113 §3.3) becomes h2c; one that opens
 * with an HTTP/1.x request line keeps HTTP/1.1. Anything else is neither: "PRI " and then not the
 * preface is a broken HTTP/2 client, and a first line that ends in no {@code HTTP/x.y} is no HTTP/1
 * request either; both are closed without an answer (RFC 9113 §3.4: an invalid preface is a
 * connection error), as an h2-only port would. Looks at no more than the preface's 24 bytes or the
 * first line ({@value #MAX_FIRST_LINE} bytes at most; a longer one is the HTTP/1.1 decoder's to
 * refuse), then removes itself and hands the bytes on. Event loop only.
 */
public final class H2cPrefaceDetector extends ByteToMessageDecoder {
  static final int MAX_FIRST_LINE = 8192;
  private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();
  private final Consumer<ChannelHandlerContext> toHttp2;

  public H2cPrefaceDetector(Consumer<ChannelHandlerContext> toHttp2) {
    this.toHttp2 = toHttp2;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
    if (ByteBufUtil.equals(in, in.readerIndex(), PREFACE, PREFACE.readerIndex(), n)) {
      if (n == PREFACE.readableBytes()) {
        toHttp2.accept(ctx);
        ctx.pipeline().remove(this);
      }
      return; // else: a prefix of the preface so far; ByteToMessageDecoder asks for more (AUTO_READ
      // is off)
    }
    boolean pri =
        n >= 4 && ByteBufUtil.equals(in, in.readerIndex(), PREFACE, PREFACE.readerIndex(), 4);
    int eol =
        in.indexOf(
            in.readerIndex(),
            in.readerIndex() + Math.min(in.readableBytes(), MAX_FIRST_LINE),
            (byte) '\n');
    if (!pri && eol < 0 && in.readableBytes() < MAX_FIRST_LINE) {
      return; // the first line is not whole yet
    }
    if (pri || (eol >= 0 && !isHttp1RequestLine(in, eol))) {
      in.skipBytes(in.readableBytes());
      ctx.close();
      return;
    }
    ctx.pipeline().remove(this); // HTTP/1.1: the bytes go on to its decoder
  }

  /**
   * An empty line (RFC 9112 lets one precede a request) or one that ends in " HTTP/d.d", before
   * {@code eol}.
   */
  private static boolean isHttp1RequestLine(ByteBuf in, int eol) {
    int end = eol > in.readerIndex() && in.getByte(eol - 1) == '\r' ? eol - 1 : eol;
    int length = end - in.readerIndex();
    if (length == 0) {
      return true;
    }
    return length > 9
        && in.toString(end - 9, 9, StandardCharsets.US_ASCII).matches(" HTTP/\\d\\.\\d");
  }
}
