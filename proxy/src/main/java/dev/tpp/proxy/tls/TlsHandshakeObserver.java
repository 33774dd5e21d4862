package dev.tpp.proxy.tls;

import dev.tpp.proxy.tls.TlsMetrics.Result;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLEngine;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and times one connection's handshake (from the parsed ClientHello to Finished), tells a
 * resumed one from a full one, logs a failure in one line, then removes itself. Sits right behind
 * the SNI/SSL handler; event loop only. A connection that closes after its ClientHello but before
 * Finished counts as a failure too (a client that gave up); one that stalls is closed by the
 * handshake timeout and counted; one that closes without a ClientHello (a TCP health check) is not
 * a handshake and is not counted.
 */
final class TlsHandshakeObserver extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger("tpp.tls");

  private final String listener;
  private final TlsContexts contexts;
  private long helloNanos;
  private @Nullable SSLEngine engine;
  private boolean done;

  TlsHandshakeObserver(String listener, TlsContexts contexts) {
    this.listener = listener;
    this.contexts = contexts;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof SniCompletionEvent sni) {
      helloNanos = System.nanoTime();
      SslHandler ssl = ctx.pipeline().get(SslHandler.class);
      engine = ssl == null ? null : ssl.engine();
      if (!sni.isSuccess()) {
        failed(ctx, sni.cause());
      }
    } else if (event instanceof SslHandshakeCompletionEvent handshake) {
      if (engine == null && ctx.pipeline().get(SslHandler.class) != null) {
        engine = ctx.pipeline().get(SslHandler.class).engine();
      }
      if (handshake.isSuccess()) {
        boolean full = engine == null || contexts.tracker().finishedFull(engine);
        finish(ctx, full ? Result.SUCCESS : Result.RESUMED);
      } else {
        failed(ctx, handshake.cause());
      }
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!done && helloNanos != 0) {
      failed(ctx, null); // gave up after its ClientHello
    } else if (!done) {
      done = true; // closed before sending a ClientHello (a TCP health check): no handshake began,
      // none is counted
      log.debug(
          "event=tls_closed_before_hello listener={} remote={}",
          listener,
          ctx.channel().remoteAddress());
    }
    ctx.fireChannelInactive();
  }

  private void failed(ChannelHandlerContext ctx, @Nullable Throwable cause) {
    if (done) {
      return;
    }
    String keyFailure = engine == null ? null : contexts.tracker().keyFailure(engine);
    log.info(
        "event=tls_handshake_failed listener={} remote={} reason=\"{}\"",
        listener,
        ctx.channel().remoteAddress(),
        keyFailure != null ? keyFailure : reason(cause));
    finish(ctx, Result.FAILURE);
  }

  private void finish(ChannelHandlerContext ctx, Result result) {
    done = true;
    if (engine != null) {
      contexts.tracker().finishedFull(engine); // forget it whatever the outcome
    }
    contexts
        .metrics()
        .handshake(listener, result, helloNanos == 0 ? 0 : System.nanoTime() - helloNanos);
    if (ctx.pipeline().context(this) != null) {
      ctx.pipeline().remove(this);
    }
  }

  /** A short, single-line reason: no stack trace, no client bytes. */
  static String reason(@Nullable Throwable cause) {
    if (cause == null) {
      return "closed before the handshake completed";
    }
    if (cause instanceof SslHandshakeTimeoutException) {
      return "handshake timed out";
    }
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof ClosedChannelException) {
      return "closed before the handshake completed"; // SslHandler's word for a peer that closed
      // mid-handshake
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.replaceAll("[^\\x20-\\x7e]", "?").replace('"', '\'');
  }
}
