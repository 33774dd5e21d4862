package dev.tpp.proxy.http2;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * Makes a stream's request look like what the dispatcher, the WAF and the origin expect: the
 * protocol version {@code HTTP/2.0} (the WAF's {@code REQUEST_PROTOCOL}; with it the dispatcher
 * closes the stream, not the connection, after the response), a head and its last content as two
 * messages (an HTTP/1.1 decoder's shape), and none of Netty's {@code x-http2-*} conversion headers
 * (a client cannot smuggle them to an origin either). Counts a client's RST_STREAM. Stream
 * channel's event loop only.
 */
final class Http2RequestAdapter extends ChannelDuplexHandler {
  static final HttpVersion HTTP_2 = HttpVersion.valueOf("HTTP/2.0");

  private final Http2Metrics metrics;
  private boolean firstRead = true;

  Http2RequestAdapter(Http2Metrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      request.setProtocolVersion(HTTP_2);
      for (HttpConversionUtil.ExtensionHeaderNames name :
          HttpConversionUtil.ExtensionHeaderNames.values()) {
        request.headers().remove(name.text());
      }
    }
    if (msg instanceof FullHttpRequest full) {
      // HEADERS with END_STREAM: a head and an (empty) last content, as an HTTP/1.1 decoder
      // delivers them
      DefaultHttpRequest head =
          new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), full.headers());
      ctx.fireChannelRead(head);
      ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
      return;
    }
    ctx.fireChannelRead(msg);
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
