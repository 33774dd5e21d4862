package dev.tpp.waf.engine;

import java.util.List;
import java.util.Map;

/**
 * One response as the WAF's phases 3 and 4 see it: an immutable copy taken on the event loop,
 * handed to a pool thread. {@code body} is null when the body is not inspected (no body access, a
 * mime type not listed, or none); otherwise it holds at most {@link ResponsePolicy#bodyLimit()}
 * bytes, and {@code bodyLength} the full length when known (-1 when not).
 *
 * @param protocol e.g. {@code HTTP/1.1}
 * @param headers in arrival order, names as received
 */
public record WafResponse(
    int status,
    String protocol,
    List<Map.Entry<String, String>> headers,
    byte[] body,
    long bodyLength) {

  public WafResponse {
    headers = List.copyOf(headers);
  }
}
