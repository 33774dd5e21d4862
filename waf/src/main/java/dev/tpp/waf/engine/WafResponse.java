package dev.tpp.waf.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One response as the WAF's phases 3 and 4 see it: an immutable copy taken on the event loop,
 * handed to a pool thread. The body to inspect is in memory ({@code body}), in a spool file ({@code
 * bodyFile}, owned by the caller, which keeps it until the verdict), or absent (both null: no body
 * access, a mime type not listed, or none). Phase 4 reads at most {@link
 * ResponsePolicy#bodyLimit()} bytes of either; {@code bodyLength} is the full length when known (-1
 * when not).
 *
 * @param protocol e.g. {@code HTTP/1.1}
 * @param headers in arrival order, names as received
 */
public record WafResponse(
    int status,
    String protocol,
    List<Map.Entry<String, String>> headers,
    byte @Nullable [] body,
    @Nullable Path bodyFile,
    long bodyLength) {

  public WafResponse {
    headers = List.copyOf(headers);
  }

  /** A response whose body, if inspected, is in memory. */
  public WafResponse(
      int status,
      String protocol,
      List<Map.Entry<String, String>> headers,
      byte @Nullable [] body,
      long bodyLength) {
    this(status, protocol, headers, body, null, bodyLength);
  }

  /** True when a body was handed over for phase 4. */
  public boolean hasBody() {
    return body != null || bodyFile != null;
  }
}
