package dev.tpp.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * Netty's response encoder, which also passes a response the route framed itself ({@link
 * Http1Bytes}: the upstream relay's heads and bodies) to the socket as it is. Such a response is
 * whole in itself, so the encoder's own state stays between responses. One per HTTP/1.1 connection,
 * on its loop.
 */
public final class Http1ResponseEncoder extends HttpResponseEncoder {
  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    if (msg instanceof Http1Bytes bytes) {
      ctx.write(bytes.content(), promise);
    } else {
      super.write(ctx, msg, promise);
    }
  }
}
