package dev.tpp.proxy.route.upstream;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;

/**
 * Strips the headers that describe one connection rather than the message (RFC 9110 §7.6.1), in both directions:
 * the fixed hop-by-hop set and every header the {@code Connection} header names. Pure; any thread.
 */
final class HopByHopHeaders {
  private static final List<CharSequence> FIXED = List.of(
      HttpHeaderNames.CONNECTION,
      HttpHeaderNames.KEEP_ALIVE,
      HttpHeaderNames.PROXY_CONNECTION,
      HttpHeaderNames.TE,
      HttpHeaderNames.TRAILER,
      HttpHeaderNames.TRANSFER_ENCODING,
      HttpHeaderNames.UPGRADE,
      HttpHeaderNames.PROXY_AUTHORIZATION,
      HttpHeaderNames.PROXY_AUTHENTICATE);

  private HopByHopHeaders() {}

  /** Removes the hop-by-hop headers from {@code headers} in place. */
  static void strip(HttpHeaders headers) {
    List<String> named = new ArrayList<>();
    for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : value.split(",")) {
        String name = token.trim();
        if (!name.isEmpty()) {
          named.add(name);
        }
      }
    }
    for (String name : named) {
      headers.remove(name);
    }
    for (CharSequence name : FIXED) {
      headers.remove(name);
    }
  }
}
