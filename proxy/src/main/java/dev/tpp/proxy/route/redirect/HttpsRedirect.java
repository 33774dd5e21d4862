package dev.tpp.proxy.route.redirect;

import dev.tpp.config.ListenerConfig;
import dev.tpp.config.ProxyConfig;
import dev.tpp.config.RouteAction;
import dev.tpp.config.RouteConfig;
import dev.tpp.proxy.http.HttpExchange;
import dev.tpp.proxy.route.Route;
import dev.tpp.proxy.route.RouteHandler;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.jspecify.annotations.Nullable;

/**
 * A plain listener with {@code redirectToHttps: PORT}: every request gets {@code 308 Permanent
 * Redirect} to the same host and target over {@code https} (the port left out when it is 443). 308,
 * not 301, so a POST stays a POST. The request's body is discarded; the WAF does not run (nothing
 * reaches an origin). Event loop only; pure.
 */
public final class HttpsRedirect implements RouteHandler {
  /** The route label in {@code tpp_http_requests_total}. */
  public static final String ROUTE = "https-redirect";

  private final int port;

  private HttpsRedirect(int port) {
    this.port = port;
  }

  /**
   * The redirect route of {@code listener} in {@code config}, or null when it serves requests
   * normally.
   */
  public static @Nullable Route route(ProxyConfig config, String listener) {
    for (ListenerConfig l : config.allListeners()) {
      if (l.name().equals(listener) && l.redirectToHttps() > 0) {
        return new Route(
            new RouteConfig(ROUTE, "/", "*", false, new RouteAction.Return(308, "")),
            new HttpsRedirect(l.redirectToHttps()));
      }
    }
    return null;
  }

  @Override
  public void handle(HttpExchange exchange) {
    exchange.body().discard();
    String host = exchange.request().headers().get(HttpHeaderNames.HOST);
    if (host == null || host.isEmpty()) {
      exchange.sendError(HttpResponseStatus.BAD_REQUEST, "no Host header to redirect to");
      return;
    }
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.PERMANENT_REDIRECT, Unpooled.EMPTY_BUFFER);
    response
        .headers()
        .set(
            HttpHeaderNames.LOCATION,
            "https://"
                + hostOnly(host)
                + (port == 443 ? "" : ":" + port)
                + exchange.request().uri())
        .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    exchange.send(response);
  }

  /** The Host header without its port; an IPv6 literal keeps its brackets. */
  static String hostOnly(String host) {
    int colon = host.lastIndexOf(':');
    return colon > host.lastIndexOf(']') ? host.substring(0, colon) : host;
  }
}
