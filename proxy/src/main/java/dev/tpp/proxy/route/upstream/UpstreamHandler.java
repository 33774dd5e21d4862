package dev.tpp.proxy.route.upstream;

import dev.tpp.proxy.http.HttpExchange;
import dev.tpp.proxy.route.RouteHandler;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code upstream:} route: a streaming reverse proxy to an {@link Upstream}. Called on the
 * exchange's event loop; the origin connection is made or taken from the pool on that same loop, so
 * the whole exchange — request body out, response body back — runs on one thread without locks.
 * Neither body is buffered whole: each side reads its next chunk only when the other side has
 * written the previous one.
 */
public final class UpstreamHandler implements RouteHandler {
  private static final Logger log = LoggerFactory.getLogger("tpp.upstream");
  private final Upstream upstream;

  public UpstreamHandler(Upstream upstream) {
    this.upstream = upstream;
  }

  @Override
  public void handle(HttpExchange exchange) {
    attempt(exchange, upstream.hashKey(exchange.request()), false);
  }

  private void attempt(HttpExchange exchange, @Nullable String hashKey, boolean isRetry) {
    Future<UpstreamConnection> acquired =
        upstream.acquire(exchange.ctx().channel(), isRetry, hashKey);
    if (acquired.isDone()) { // an idle connection was at hand: no listener to make and call
      acquired(exchange, hashKey, isRetry, acquired);
    } else {
      acquired.addListener(
          (Future<UpstreamConnection> f) -> acquired(exchange, hashKey, isRetry, f));
    }
  }

  private void acquired(
      HttpExchange exchange,
      @Nullable String hashKey,
      boolean isRetry,
      Future<UpstreamConnection> f) {
    if (!f.isSuccess()) {
      connectFailed(exchange, f.cause());
      return;
    }
    UpstreamConnection connection = f.getNow();
    if (!exchange.ctx().channel().isActive()) {
      connection.recycle(); // the client left while we connected; the connection is unused, clean
      return;
    }
    boolean mayRetry =
        !isRetry && ProxiedRequest.retryable(exchange.request(), exchange.body().length());
    new UpstreamCall(upstream, exchange, connection, mayRetry ? this : null, hashKey).start();
  }

  /** Sends {@code exchange}'s request once more, on a new connection (the first one was stale). */
  void retry(HttpExchange exchange, @Nullable String hashKey) {
    attempt(exchange, hashKey, true);
  }

  private void connectFailed(HttpExchange exchange, Throwable cause) {
    if (cause instanceof NoEndpointsException) {
      upstream.count(UpstreamOutcome.NO_ENDPOINT);
      log.info(
          "event=upstream_failed upstream={} outcome=no_endpoint id={}",
          upstream.name(),
          exchange.requestId());
      exchange.sendError(HttpResponseStatus.SERVICE_UNAVAILABLE, cause.getMessage());
      return;
    }
    upstream.count(UpstreamOutcome.CONNECT_ERROR);
    log.info(
        "event=upstream_failed upstream={} outcome=connect_error id={} error=\"{}\"",
        upstream.name(),
        exchange.requestId(),
        cause.toString());
    String detail =
        cause instanceof ConnectTimeoutException
            ? "upstream " + upstream.name() + ": connect timed out"
            : "upstream " + upstream.name() + ": cannot connect";
    exchange.sendError(HttpResponseStatus.BAD_GATEWAY, detail);
  }
}
