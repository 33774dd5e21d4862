package dev.tpp.proxy.route.upstream;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Strips the headers that describe one connection rather than the message (RFC 9110 §7.6.1), in
 * both directions: the fixed hop-by-hop set and every header the {@code Connection} header names,
 * except the end-to-end ones the proxy relies on ({@code Host}, the body's framing and type). Pure;
 * any thread.
 */
final class HopByHopHeaders {
  static final List<AsciiString> FIXED =
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
  static final List<AsciiString> PROTECTED =
      List.of(
          HttpHeaderNames.HOST,
          HttpHeaderNames.CONTENT_LENGTH,
          HttpHeaderNames.CONTENT_TYPE,
          HttpHeaderNames.CONTENT_ENCODING,
          AsciiString.cached("x-forwarded-for"),
          AsciiString.cached("x-forwarded-host"),
          AsciiString.cached("x-forwarded-proto"));

  private HopByHopHeaders() {}

  /** Removes the hop-by-hop headers from {@code headers} in place. */
  static void strip(HttpHeaders headers) {
    for (String name : namedOptions(headers)) {
      headers.remove(name);
    }
    for (CharSequence name : FIXED) {
      headers.remove(name);
    }
  }

  /**
   * The header names the {@code Connection} fields of {@code headers} list as connection options,
   * lower case, the protected ones left out; empty (and nothing made) when there is no such field.
   */
  static List<String> namedOptions(HttpHeaders headers) {
    if (!headers.contains(HttpHeaderNames.CONNECTION)) {
      return List.of(); // most messages have none
    }
    List<String> named = new ArrayList<>();
    for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : value.split(",")) {
        String name = token.trim().toLowerCase(Locale.ROOT);
        if (!name.isEmpty() && PROTECTED.stream().noneMatch(p -> p.contentEquals(name))) {
          named.add(name);
        }
      }
    }
    return named;
  }

  /** True when {@code name} is one of the fixed hop-by-hop names, in any case. */
  static boolean isFixed(CharSequence name) {
    for (int i = 0; i < FIXED.size(); i++) { // indexed: no iterator per header per request
      if (FIXED.get(i).contentEqualsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }
}
