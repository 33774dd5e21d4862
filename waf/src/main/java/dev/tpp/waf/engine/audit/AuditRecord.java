package dev.tpp.waf.engine.audit;

import dev.tpp.waf.engine.RuleMatch;
import dev.tpp.waf.engine.WafRequest;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One finished transaction as the audit log writes it. Built on the proxy's event loop from
 * immutable parts (the request snapshot the WAF saw, the response status sent, the response
 * snapshot phases 3 and 4 saw when they ran), rendered by {@link AuditJson} on the writer's thread.
 *
 * @param timeMillis when the request arrived (epoch millis)
 * @param status the response status the client got (0 when none was sent)
 * @param responseHeaders as the response phases saw them, empty when they did not run
 * @param responseBody the inspected response body, or null
 * @param engineState libmodsecurity3's {@code secrules_engine}: Enabled, DetectionOnly or Disabled
 * @param components the rule set's {@code SecComponentSignature}s
 */
public record AuditRecord(
    WafRequest request,
    long timeMillis,
    int status,
    List<Map.Entry<String, String>> responseHeaders,
    byte @Nullable [] responseBody,
    List<RuleMatch> matches,
    String engineState,
    List<String> components) {

  public AuditRecord {
    responseHeaders = List.copyOf(responseHeaders);
    matches = List.copyOf(matches);
    components = List.copyOf(components);
  }

  /** Bytes this record keeps alive (bodies and header text), for the writer's memory bound. */
  public long weight() {
    long w = 512;
    if (request.body() != null) {
      w += request.body().length;
    }
    if (responseBody != null) {
      w += responseBody.length;
    }
    for (Map.Entry<String, String> h : request.headers()) {
      w += h.getKey().length() + h.getValue().length();
    }
    for (RuleMatch m : matches) {
      w += m.logLine().length();
    }
    return w;
  }
}
