package dev.tpp.proxy.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/** Parses the parts of a request head routing needs. Pure functions. */
final class RequestTargets {
  private RequestTargets() {}

  /** The path of an origin-form or absolute-form target, without query or fragment; null if it has none. */
  static String path(String uri) {
    String rest = uri;
    int scheme = uri.indexOf("://");
    if (scheme > 0 && scheme < 8 && !uri.startsWith("/")) {
      int slash = uri.indexOf('/', scheme + 3);
      rest = slash < 0 ? "/" : uri.substring(slash);
    }
    if (!rest.startsWith("/")) {
      return null;
    }
    int end = rest.length();
    int q = rest.indexOf('?');
    if (q >= 0) {
      end = q;
    }
    int h = rest.indexOf('#');
    if (h >= 0 && h < end) {
      end = h;
    }
    return rest.substring(0, end);
  }

  /** The Host header without its port, lower-cased; null when absent. */
  static String host(HttpRequest request) {
    String host = request.headers().get(HttpHeaderNames.HOST);
    if (host == null || host.isEmpty()) {
      return null;
    }
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      return close < 0 ? host : host.substring(0, close + 1).toLowerCase(java.util.Locale.ROOT);
    }
    int colon = host.indexOf(':');
    return (colon < 0 ? host : host.substring(0, colon)).toLowerCase(java.util.Locale.ROOT);
  }
}
