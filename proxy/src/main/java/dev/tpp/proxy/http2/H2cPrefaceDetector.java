package dev.tpp.proxy.http2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;
import java.util.function.Consumer;

/**
 * On a plain listener with {@code http2: true}: a connection that opens with the HTTP/2 client preface ({@code PRI *
 * HTTP/2.0...}, "prior knowledge", RFC 9113 §3.3) becomes h2c; any other first bytes keep HTTP/1.1. Looks at no more
 * than the preface's 24 bytes, then removes itself and hands them on. Event loop only.
 */
public final class H2cPrefaceDetector extends ByteToMessageDecoder {
  private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();
  private final Consumer<ChannelHandlerContext> toHttp2;

  public H2cPrefaceDetector(Consumer<ChannelHandlerContext> toHttp2) {
    this.toHttp2 = toHttp2;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
    if (!ByteBufUtil.equals(in, in.readerIndex(), PREFACE, PREFACE.readerIndex(), n)) {
      if (n >= 4 && ByteBufUtil.equals(in, in.readerIndex(), PREFACE, PREFACE.readerIndex(), 4)) {
        in.skipBytes(in.readableBytes());
        ctx.close(); // "PRI " then not the preface: a broken HTTP/2 client (RFC 9113 §3.4), not an HTTP/1.1 request
        return;
      }
      ctx.pipeline().remove(this); // HTTP/1.1: the bytes go on to its decoder
    } else if (n == PREFACE.readableBytes()) {
      toHttp2.accept(ctx);
      ctx.pipeline().remove(this);
    }
    // else: a prefix of the preface so far; ByteToMessageDecoder asks for more (AUTO_READ is off)
  }
}
