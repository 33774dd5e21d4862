package dev.tpp.proxy.server;

import dev.tpp.config.HttpLimits;
import dev.tpp.proxy.http.RequestRejectedException;
import dev.tpp.proxy.http.RequestTarget;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Puts the request head into the form that is routed, inspected and forwarded; reads the host
 * routing needs.
 */
final class RequestTargets {
  private RequestTargets() {}

  /**
   * The normalised target, or why the request-target was refused (400; the connection stays
   * usable).
   */
  record Prepared(@Nullable RequestTarget target, @Nullable String refusal) {}

  /** Parses the request's target and {@link #normalise}s the request to it. */
  static Prepared prepare(HttpRequest request, HttpLimits limits) {
    try {
      RequestTarget target = RequestTarget.parse(request.uri(), limits.allowEncodedSlash());
      normalise(request, target);
      return new Prepared(target, null);
    } catch (RequestRejectedException e) {
      return new Prepared(null, e.getMessage());
    }
  }

  /**
   * Rewrites {@code request} in place (on its loop, before anything reads it): the target becomes
   * the normalised origin-form, an absolute-form's authority replaces {@code Host} (RFC 9112
   * §3.2.2), and a later HTTP/1.x minor version becomes HTTP/1.1.
   */
  static void normalise(HttpRequest request, RequestTarget target) {
    request.setUri(target.originForm());
    if (request.protocolVersion().majorVersion() == 1
        && request.protocolVersion().minorVersion() > 1) {
      // HTTP/1.2 to 1.9: processed as the highest 1.x this server speaks (RFC 9110 §2.5), so the
      // WAF's
      // REQUEST_PROTOCOL and the log say HTTP/1.1, as the origin hears it
      request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }
    if (target.authority() != null) {
      request.headers().set(HttpHeaderNames.HOST, target.authority());
    }
  }

  /**
   * The routing host of a request (its Host without the port, lower-cased; null when absent), with
   * the last answer kept: a keepalive connection sends the same {@code Host} on every request, so
   * the routing host is cut out of it once, not per request. One per connection, on its loop.
   */
  static final class HostCache {
    private @Nullable String raw;
    private @Nullable String host;

    @Nullable String host(HttpRequest request) {
      String value = request.headers().get(HttpHeaderNames.HOST);
      if (value == null || !value.equals(raw)) {
        raw = value;
        host = routingHost(value);
      }
      return host;
    }
  }

  /** A Host value without its port, lower-cased; null when absent or empty. */
  private static @Nullable String routingHost(@Nullable String host) {
    if (host == null || host.isEmpty()) {
      return null;
    }
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      return close < 0 ? host : host.substring(0, close + 1).toLowerCase(Locale.ROOT);
    }
    int colon = host.indexOf(':');
    return (colon < 0 ? host : host.substring(0, colon)).toLowerCase(Locale.ROOT);
  }
}
