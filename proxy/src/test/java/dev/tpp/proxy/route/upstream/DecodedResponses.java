package dev.tpp.proxy.route.upstream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What an {@link OriginResponseDecoder} on an {@link EmbeddedChannel} delivered for some bytes:
 * each head as the client would get it (encoded while it is valid), the body bytes, the ends, the
 * failure. For tests; one thread.
 */
final class DecodedResponses extends ChannelInboundHandlerAdapter {
  /**
   * One head: status, keep-alive, framing length, and the client's head (not chunked, no
   * Connection).
   */
  record Head(int status, boolean keepAlive, long contentLength, String forClient) {}

  final List<Head> heads = new ArrayList<>();
  final StringBuilder body = new StringBuilder();
  int ends;
  Throwable failure;

  /** Feeds {@code bytes} in pieces of {@code piece} bytes, then closes when {@code close}. */
  static DecodedResponses of(String bytes, HttpMethod method, int piece, boolean close) {
    DecodedResponses seen = new DecodedResponses();
    OriginResponseDecoder decoder = new OriginResponseDecoder();
    decoder.expectResponseTo(method);
    EmbeddedChannel ch = new EmbeddedChannel(decoder, seen);
    byte[] all = bytes.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < all.length; i += piece) {
      ch.writeInbound(Unpooled.wrappedBuffer(all, i, Math.min(piece, all.length - i)));
    }
    if (close) {
      ch.finish();
    }
    return seen;
  }

  static DecodedResponses of(String bytes) {
    return of(bytes, HttpMethod.GET, Integer.MAX_VALUE, false);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof OriginHead head) {
      var bytes = head.forClient(false).encode(ByteBufAllocator.DEFAULT, null);
      heads.add(
          new Head(
              head.status(),
              head.keepAlive(),
              head.contentLength(),
              bytes.toString(StandardCharsets.ISO_8859_1)));
      bytes.release();
      return;
    }
    HttpContent content = (HttpContent) msg;
    if (content.decoderResult().isFailure()) {
      failure = content.decoderResult().cause();
    } else {
      body.append(content.content().toString(StandardCharsets.ISO_8859_1));
      ends += content instanceof LastHttpContent ? 1 : 0;
    }
    content.release();
  }
}
