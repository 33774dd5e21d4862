package dev.tpp.proxy.waf;

import dev.tpp.config.WafConfig;
import dev.tpp.proxy.http.HttpExchange;
import dev.tpp.waf.engine.RuleMatch;
import dev.tpp.waf.engine.WafEngine;
import dev.tpp.waf.engine.WafRequest;
import dev.tpp.waf.engine.WafResponse;
import dev.tpp.waf.engine.audit.AuditPolicy;
import dev.tpp.waf.engine.audit.AuditRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The audit log side of a {@link WafGate}: for each inspected request a {@link Trail} gathers the
 * request snapshot, the matches of every phase and the response the phases saw; when the exchange
 * is over (and any response inspection still running has answered) it hands an {@link AuditRecord}
 * to the target's {@link AuditLogWriter}, if the policy ({@code SecAuditEngine}, {@code
 * SecAuditLogRelevantStatus}) wants it. Rendering and I/O happen on the writer's thread. Built with
 * the gate; trails live on the exchange's loop only.
 */
final class WafAudit {
  private static final String SERVER_ID = serverId();

  private final AuditPolicy policy;
  private final @Nullable AuditLogWriter writer;
  private final List<String> components;
  private final String engineState;

  WafAudit(WafEngine engine, WafConfig config) {
    this.policy = engine.auditPolicy();
    this.writer =
        policy.enabled()
            ? AuditLogWriter.forTarget(
                Objects.requireNonNull(policy.log(), "log: the config requires it when enabled"))
            : null;
    this.components = engine.components();
    this.engineState = config.mode() == WafConfig.Mode.DETECT ? "DetectionOnly" : "Enabled";
  }

  /**
   * Starts the trail of an inspected request, or returns null when there is no audit log. Loop
   * thread.
   */
  @Nullable Trail begin(
      HttpExchange exchange, WafRequest request, long timeMillis, List<RuleMatch> requestMatches) {
    if (writer == null) {
      return null;
    }
    Trail trail = new Trail(exchange, request, timeMillis, requestMatches);
    exchange.onEnd(trail::ended);
    return trail;
  }

  /** One exchange's audit data; loop thread only. */
  final class Trail {
    private final HttpExchange exchange;
    private final WafRequest request;
    private final long timeMillis;
    private final List<RuleMatch> matches;
    private @Nullable WafResponse response;
    private int pendingResponses;
    private int status = -1;

    private Trail(
        HttpExchange exchange,
        WafRequest request,
        long timeMillis,
        List<RuleMatch> requestMatches) {
      this.exchange = exchange;
      this.request = request;
      this.timeMillis = timeMillis;
      this.matches = new ArrayList<>(requestMatches);
    }

    /** A response inspection was submitted: the record waits for its matches. */
    void responseSubmitted(WafResponse seen) {
      response = seen;
      pendingResponses++;
    }

    /** The response inspection answered ({@code phaseMatches} empty when it failed). */
    void responseInspected(List<RuleMatch> phaseMatches) {
      matches.addAll(phaseMatches);
      pendingResponses--;
      write();
    }

    private void ended() {
      status = exchange.status();
      write();
    }

    // body: byte @Nullable [] in AuditRecord, which NullAway 0.14.3 does not see from here
    @SuppressWarnings("NullAway")
    private void write() {
      if (status < 0 || pendingResponses > 0) {
        return;
      }
      if (!policy.writes(status, !matches.isEmpty())) {
        return;
      }
      List<Map.Entry<String, String>> headers = response == null ? List.of() : response.headers();
      byte[] body = response == null ? null : response.body();
      Objects.requireNonNull(writer, "writer: policy.writes() is false when audit is off")
          .offer(
              new AuditRecord(
                  request, timeMillis, status, headers, body, matches, engineState, components),
              policy,
              SERVER_ID);
    }
  }

  /**
   * libmodsecurity3 writes a hash of the host as server_id; so do we (HOSTNAME, as set in a pod).
   */
  private static String serverId() {
    String host = System.getenv().getOrDefault("HOSTNAME", "tpp");
    try {
      byte[] sha1 =
          MessageDigest.getInstance("SHA-1").digest(host.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha1);
    } catch (NoSuchAlgorithmException e) {
      return host;
    }
  }
}
