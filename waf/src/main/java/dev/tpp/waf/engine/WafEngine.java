package dev.tpp.waf.engine;

import dev.tpp.waf.engine.audit.AuditPolicy;
import java.util.List;

/**
 * A compiled rule set: built once per config (off the event loop), then shared read-only by pool
 * threads, each of which calls {@link #inspect} for one request at a time. Never touches Netty;
 * never blocks beyond reading the request's spool file.
 */
public interface WafEngine {

  /** Runs phases 1 and 2 over the request. Thread-safe. */
  WafVerdict inspect(WafRequest request);

  /**
   * Runs phases 1 and 2 and keeps the transaction for the response's phases. Thread-safe. By
   * default (an engine without response phases) the response passes unseen.
   */
  default WafTransaction begin(WafRequest request) {
    WafVerdict verdict = inspect(request);
    return new WafTransaction() {
      @Override
      public WafVerdict requestVerdict() {
        return verdict;
      }

      @Override
      public WafVerdict inspectResponse(WafResponse response) {
        return WafVerdict.pass(List.of());
      }
    };
  }

  /** What responses need: whether they are inspected, and which bodies. By default none are. */
  default ResponsePolicy responsePolicy() {
    return ResponsePolicy.NONE;
  }

  /** The {@code SecAudit*} settings of the rule set. By default there is no audit log. */
  default AuditPolicy auditPolicy() {
    return AuditPolicy.OFF;
  }

  /** The rule set's {@code SecComponentSignature}s (the audit record's producer lists them). */
  default List<String> components() {
    return List.of();
  }

  /** Number of rules loaded (for logs and /config). */
  int ruleCount();

  /** Starts a builder: add CRS, rule files and inline rules, in that order of loading. */
  static WafEngineBuilder builder() {
    return new WafEngineBuilder();
  }
}
