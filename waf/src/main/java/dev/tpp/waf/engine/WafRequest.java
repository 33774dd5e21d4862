package dev.tpp.waf.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One request as the WAF sees it: an immutable copy taken on the event loop, handed to a pool
 * thread. The body is either in memory ({@code body}), in a spool file ({@code bodyFile}, owned by
 * the caller, deleted after the verdict), or absent (both null).
 *
 * @param id unique request id (ModSecurity's UNIQUE_ID), also printed in every log line
 * @param uri the raw request-target exactly as received (REQUEST_URI_RAW; not decoded)
 * @param protocol e.g. {@code HTTP/1.1}
 * @param headers in arrival order, names as received; repeated headers appear repeatedly
 */
public record WafRequest(
    String id,
    String remoteAddr,
    int remotePort,
    String serverAddr,
    int serverPort,
    String method,
    String uri,
    String protocol,
    List<Map.Entry<String, String>> headers,
    byte @Nullable [] body,
    @Nullable Path bodyFile,
    long bodyLength) {

  public WafRequest {
    headers = List.copyOf(headers);
  }
}
