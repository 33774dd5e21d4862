package dev.tpp.proxy.route.upstream;

import dev.tpp.config.UpstreamConfig.HashOn;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import org.jspecify.annotations.Nullable;

/**
 * The value that {@code hash} balancing hashes: a request header's value, or a cookie's. A request
 * without it has no key and is balanced in turn. Pure; called on the request's loop.
 */
final class HashKeys {
  private HashKeys() {}

  /**
   * The key of a request with {@code headers} under {@code on}; null when {@code on} is null or the
   * value absent.
   */
  static @Nullable String of(@Nullable HashOn on, HttpHeaders headers) {
    if (on == null) {
      return null;
    }
    if (on.header() != null) {
      return headers.get(on.header());
    }
    for (String header : headers.getAll(HttpHeaderNames.COOKIE)) {
      for (Cookie c : ServerCookieDecoder.LAX.decodeAll(header)) {
        if (c.name().equals(on.cookie())) {
          return c.value();
        }
      }
    }
    return null;
  }
}
