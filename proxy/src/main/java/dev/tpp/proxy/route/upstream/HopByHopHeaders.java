package dev.tpp.proxy.route.upstream;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Strips the headers that describe one connection rather than the message (RFC 9110 §7.6.1), in
 * both directions: the fixed hop-by-hop set and every header the {@code Connection} header names,
 * except the end-to-end ones the proxy relies on ({@code Host}, the body's framing and type). Pure;
 * any thread.
 */
final class HopByHopHeaders {
  private static final List<CharSequence> FIXED =
      List.of(
          HttpHeaderNames.CONNECTION,
          HttpHeaderNames.KEEP_ALIVE,
          HttpHeaderNames.PROXY_CONNECTION,
          HttpHeaderNames.TE,
          HttpHeaderNames.TRAILER,
          HttpHeaderNames.TRANSFER_ENCODING,
          HttpHeaderNames.UPGRADE,
          HttpHeaderNames.PROXY_AUTHORIZATION,
          HttpHeaderNames.PROXY_AUTHENTICATE);

  /**
   * End-to-end headers the proxy routed, inspected or framed by: a {@code Connection} option naming
   * one of them is ignored, so a client cannot make the origin see a different request than the
   * proxy and the WAF saw.
   */
  private static final Set<String> PROTECTED =
      Set.of(
          "host",
          "content-length",
          "content-type",
          "content-encoding",
          "x-forwarded-for",
          "x-forwarded-host",
          "x-forwarded-proto");

  private HopByHopHeaders() {}

  /** Removes the hop-by-hop headers from {@code headers} in place. */
  static void strip(HttpHeaders headers) {
    if (headers.contains(HttpHeaderNames.CONNECTION)) {
      removeNamedOptions(headers); // most messages have none: no list made for them
    }
    for (CharSequence name : FIXED) {
      headers.remove(name);
    }
  }

  private static void removeNamedOptions(HttpHeaders headers) {
    List<String> named = new ArrayList<>();
    for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : value.split(",")) {
        String name = token.trim().toLowerCase(Locale.ROOT);
        if (!name.isEmpty() && !PROTECTED.contains(name)) {
          named.add(name);
        }
      }
    }
    for (String name : named) {
      headers.remove(name);
    }
  }
}
