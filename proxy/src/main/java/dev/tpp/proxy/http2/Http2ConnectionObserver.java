package dev.tpp.proxy.http2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameStreamException;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one HTTP/2 connection from behind its frame codec. A stream error goes on to the
 * multiplexer, which resets the stream with its code (counted). A connection error (a broken limit,
 * a protocol violation) has already been answered with GOAWAY by the codec: it is counted and
 * logged in one line, no stack trace. Two timers come from the idle handler in front: no stream and
 * no traffic for the keepalive {@code idleTimeout} ends the connection gracefully (GOAWAY
 * NO_ERROR); nothing written for {@code stallTimeout} while a stream has data the client's
 * flow-control window will not take ends it with GOAWAY ENHANCE_YOUR_CALM. Event loop only.
 */
final class Http2ConnectionObserver extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger("tpp.http2");

  private final Http2FrameCodec codec;
  private final Http2Metrics metrics;

  Http2ConnectionObserver(Http2FrameCodec codec, Http2Metrics metrics) {
    this.codec = codec;
    this.metrics = metrics;
  }

  /**
   * A client's GOAWAY says it is going away: the connection then closes once its streams are done
   * (the codec's close waits for them, at most {@code shutdownTimeout}), as nginx does. Without it
   * a client that waits for the server to close after its GOAWAY (h2load at the end of a timed run)
   * hangs until its own timeout.
   */
  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    boolean clientGoingAway = msg instanceof Http2GoAwayFrame;
    ctx.fireChannelRead(msg);
    if (clientGoingAway && ctx.channel().isActive()) {
      metrics.goAway(Http2Error.NO_ERROR.name(), "client_goaway");
      ctx.channel().close();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof Http2FrameStreamException) {
      ctx.fireExceptionCaught(
          cause); // to the stream: reset with the error's code (Http2RequestAdapter counts it)
      return;
    }
    Http2Exception e =
        cause instanceof Http2Exception h
            ? h
            : cause.getCause() instanceof Http2Exception h ? h : null;
    if (e != null) {
      String reason = Http2Errors.reason(e);
      metrics.goAway(e.error().name(), reason);
      log.info(
          "event=http2_goaway remote={} error={} reason={} detail=\"{}\"",
          ctx.channel().remoteAddress(),
          e.error().name(),
          reason,
          String.valueOf(e.getMessage()).replace('"', '\''));
    } else {
      log.debug(
          "event=http2_connection_error remote={} error=\"{}\"",
          ctx.channel().remoteAddress(),
          cause);
      ctx.close();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent idle) {
      if (idle.state() == IdleState.ALL_IDLE && codec.connection().numActiveStreams() == 0) {
        metrics.goAway(Http2Error.NO_ERROR.name(), "idle");
        ctx.close(); // the codec's close: GOAWAY NO_ERROR, then the socket
      } else if (idle.state() == IdleState.WRITER_IDLE && stalled()) {
        metrics.goAway(Http2Error.ENHANCE_YOUR_CALM.name(), "stall");
        log.info(
            "event=http2_goaway remote={} error=ENHANCE_YOUR_CALM reason=stall detail=\"a flow-control window "
                + "stayed closed\"",
            ctx.channel().remoteAddress());
        ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.ENHANCE_YOUR_CALM))
            .addListener(
                f -> ctx.channel().unsafe().close(ctx.voidPromise())); // not the graceful wait
      }
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  /** A stream holds data its window will not take (the client stopped reading). */
  private boolean stalled() throws Http2Exception {
    Http2RemoteFlowController flow = codec.connection().remote().flowController();
    AtomicBoolean blocked = new AtomicBoolean();
    codec
        .connection()
        .forEachActiveStream(
            stream -> {
              if (flow.hasFlowControlled(stream) && !flow.isWritable(stream)) {
                blocked.set(true);
                return false;
              }
              return true;
            });
    return blocked.get();
  }
}
