package dev.tpp.proxy.server;

import dev.tpp.proxy.http.StreamingBody;
import dev.tpp.proxy.http2.Http2Pipeline;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Whether a connection (or an HTTP/2 stream) takes another request after the response in progress,
 * and how it ends when not: keepalive (the client's wish, {@code maxRequestsPerConnection}, the
 * server or worker generation draining, a body too long to skip), the {@code Connection} header
 * that says so, the {@link LingeringClose} after a response that announced the close, and the short
 * grace an idle draining connection gets. One per dispatcher, given the lingering kind its pipeline
 * was built with; the dispatcher tells it what happened and asks it what to do. Loop-confined.
 */
final class ConnectionLifecycle {
  /**
   * A body the route left unread up to this many bytes is read and dropped to keep the connection.
   */
  private static final long MAX_DISCARD = 64 * 1024;

  /**
   * How long a draining connection that sits idle between requests may still take one more
   * (answered with {@code Connection: close}): a keepalive client usually has its next request on
   * the wire already, and closing under it would lose or reset that request.
   */
  private static final long DRAIN_IDLE_GRACE_MS = 200;

  private final ServerState server;
  private final LingeringClose lingering;
  private final ChannelHandlerContext ctx;
  private final BooleanSupplier idle; // no exchange in progress on the connection
  private int served;
  private boolean closeAfterResponse;
  private boolean closeAnnounced; // the response head in progress said Connection: close

  ConnectionLifecycle(
      ServerState server,
      LingeringClose lingering,
      ChannelHandlerContext ctx,
      BooleanSupplier idle) {
    this.server = server;
    this.lingering = lingering;
    this.ctx = ctx;
    this.idle = idle;
  }

  /** The connection closes after the response in progress (a refused body). */
  void closeAfterResponse() {
    closeAfterResponse = true;
  }

  /** True once the connection is to close after the response in progress: read nothing ahead. */
  boolean closing() {
    return closeAfterResponse;
  }

  /**
   * Decides keepalive as the head of {@code request}'s response goes out, and says so in {@code
   * head}: {@code Connection: close}, or {@code keep-alive} to an HTTP/1.0 client that keeps it.
   */
  void beforeHead(HttpRequest request, HttpResponse head, int maxRequests, StreamingBody body) {
    boolean keep =
        keepAlive(request)
            && !server.draining()
            && !closeAfterResponse
            && (maxRequests == 0 || served + 1 < maxRequests)
            && canSkip(body);
    if (!keep) {
      closeAfterResponse = true;
      closeAnnounced = true;
      head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
  }

  /**
   * The client's wish ({@link HttpUtil#isKeepAlive}); without a {@code Connection} field, as most
   * requests come, its version's default, found with one lookup instead of two value scans.
   */
  private static boolean keepAlive(HttpRequest request) {
    return request.headers().contains(HttpHeaderNames.CONNECTION)
        ? HttpUtil.isKeepAlive(request)
        : request.protocolVersion().isKeepAliveDefault();
  }

  /** A body the handler left unread can be skipped cheaply when it is short. */
  private static boolean canSkip(StreamingBody body) {
    return body.isComplete()
        || (body.length() >= 0 && body.length() - body.received() <= MAX_DISCARD);
  }

  /**
   * The response's last byte is out: the connection closes (lingering while the client may still
   * send the body nobody read) if the head said so; else what is left of the body is skipped and
   * {@code next} runs to take the next request. Also when drained after the head said keep-alive:
   * the client may be sending its next request already, so the connection closes only if it stays
   * idle through the grace ({@link #idle}).
   */
  void responseComplete(@Nullable StreamingBody body, Runnable next) {
    served++;
    if (closeAnnounced) {
      lingering.close(ctx, body);
    } else if (body != null) {
      body.discardThen(next);
    } else {
      next.run();
    }
  }

  /** The connection waits for its next request; one drained meanwhile closes unless one comes. */
  void awaitingRequest() {
    if (closeAfterResponse) {
      closeIfStillIdleAfter(DRAIN_IDLE_GRACE_MS);
    }
  }

  /**
   * The server or this connection's worker generation drains: the response in progress (or the one
   * request that arrives within a short grace) goes out with {@code Connection: close}; an idle
   * connection closes after the grace. A connection that has not sent its first request yet (just
   * accepted, or in its TLS handshake) gets {@code http.headerTimeout} instead: its client is about
   * to speak, and 200 ms would cut a handshake or a first request on a busy host.
   */
  void drain() {
    closeAfterResponse = true;
    if (idle.getAsBoolean()) {
      closeIfStillIdleAfter(
          served == 0
              ? server.generation().config().http().headerTimeout().toMillis()
              : DRAIN_IDLE_GRACE_MS);
    }
  }

  /**
   * Closes the connection after {@code graceMs} unless a request came meanwhile, or unless it
   * turned HTTP/2 (an h2c preface, ALPN {@code h2} after its handshake): its HTTP/1.1 handlers,
   * this dispatcher's context among them, are gone then, and HTTP/2 drains it with GOAWAY while its
   * streams finish. A close from the removed context would go around the HTTP/2 codec and cut them.
   */
  private void closeIfStillIdleAfter(long graceMs) {
    ctx.executor()
        .schedule(
            () -> {
              if (!ctx.isRemoved() && idle.getAsBoolean()) {
                ctx.close();
              }
            },
            graceMs,
            TimeUnit.MILLISECONDS);
  }

  /**
   * Drains {@code ch} on its own loop (callable from any thread): an HTTP/2 connection gets GOAWAY
   * and its streams in flight finish; an HTTP/1.x one is drained by its dispatcher's lifecycle.
   */
  static void drain(Channel ch) {
    ch.eventLoop()
        .execute(
            () -> {
              if (Http2Pipeline.isHttp2(ch)) {
                Http2Pipeline.drain(ch);
                return;
              }
              HttpDispatchHandler dispatcher = ch.pipeline().get(HttpDispatchHandler.class);
              if (dispatcher != null) {
                dispatcher.drain();
              }
            });
  }
}
