package dev.tpp.proxy.http2;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2ResetFrame;

/**
 * Sits behind {@link Http2StreamCodec} on each stream: delays the stream's first read by one loop
 * task (see {@link #read}), resets the stream with its RFC 9113 code on a stream error, and counts
 * a client's RST_STREAM. Stream channel's event loop only.
 */
final class Http2RequestAdapter extends ChannelDuplexHandler {
  private final Http2Metrics metrics;
  private boolean firstRead = true;

  Http2RequestAdapter(Http2Metrics metrics) {
    this.metrics = metrics;
  }

  /**
   * The stream's first read waits one loop task: the frames that arrived in the same read as its
   * HEADERS (a DATA on a closed half, a RST_STREAM, a content-length mismatch) are decoded first,
   * so a malformed request is reset before it is served rather than answered and then reset.
   */
  @Override
  public void read(ChannelHandlerContext ctx) {
    if (firstRead) {
      firstRead = false;
      ctx.executor().execute(ctx::read);
    } else {
      ctx.read();
    }
  }

  /**
   * A stream error (a malformed request: a pseudo-header missing, a content-length its DATA does
   * not match, a frame on a closed half) resets the stream with its RFC 9113 code, not with the
   * CANCEL a plain close would send; the dispatcher sees the stream close and counts the request as
   * abandoned.
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof Http2Exception h2) {
        Http2Error error =
            h2.error() == Http2Error.INTERNAL_ERROR ? Http2Error.PROTOCOL_ERROR : h2.error();
        metrics.resetByProxy(error.code());
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(error));
        return;
      }
    }
    ctx.fireExceptionCaught(cause);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof Http2ResetFrame reset) {
      metrics.resetByClient(reset.errorCode());
    }
    ctx.fireUserEventTriggered(event);
  }
}
