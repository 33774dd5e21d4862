package dev.tpp.proxy.waf;

import dev.tpp.proxy.metrics.Buckets;
import dev.tpp.waf.engine.operator.RegexBudget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** The {@code tpp_waf_*} meters. Thread-safe; recorded on the loop when a verdict arrives. */
final class WafMetrics {
  private final MeterRegistry registry;
  private final Map<String, Counter> actions = new ConcurrentHashMap<>();
  private final Map<String, Counter> responseActions = new ConcurrentHashMap<>();
  private final Map<String, Counter> rules = new ConcurrentHashMap<>();
  private final Timer inspection;
  private final Timer responseInspection;

  WafMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.inspection =
        Timer.builder("tpp.waf.inspection")
            .description("Time one request's inspection took")
            .serviceLevelObjectives(Buckets.LATENCY)
            .register(registry);
    this.responseInspection =
        Timer.builder("tpp.waf.response.inspection")
            .description("Time one response's inspection (phases 3-5) took")
            .serviceLevelObjectives(Buckets.LATENCY)
            .register(registry);
    for (String action : new String[] {"passed", "blocked", "detected"}) {
      action(action);
    }
    // JVM-wide like the engine's count; every generation registers the same meter (Micrometer keeps
    // the first)
    FunctionCounter.builder(
            "tpp.waf.regex.budget.overruns", RegexBudget.class, c -> RegexBudget.overruns())
        .description("Backtracking regex matches stopped for exceeding their step budget")
        .register(registry);
    auditCounter("written", AuditLogWriter.WRITTEN);
    auditCounter("dropped", AuditLogWriter.DROPPED);
    auditCounter("failed", AuditLogWriter.FAILED);
    spoolMeters();
  }

  /** Process-wide like the budgets they read; the first generation's registration is kept. */
  private void spoolMeters() {
    Gauge.builder("tpp.waf.spool.files", SpoolBudget.FILES_IN_USE, LongAdder::sum)
        .description(
            "Spool files held by WAF-inspected bodies in progress (requests and responses)")
        .register(registry);
    Gauge.builder("tpp.waf.spool.bytes", SpoolBudget.BYTES_IN_USE, LongAdder::sum)
        .description("Bytes spooled to disk by WAF-inspected bodies in progress")
        .register(registry);
    for (SpoolFile.Kind kind : SpoolFile.Kind.values()) {
      FunctionCounter.builder("tpp.waf.spool.full", kind.refused, LongAdder::sum)
          .description("Bodies answered 503 because the worker's spool budget was spent")
          .tag("body", kind.label())
          .register(registry);
    }
  }

  /**
   * Process-wide like the writers; every generation registers the same meters (Micrometer keeps the
   * first).
   */
  private void auditCounter(String result, LongAdder count) {
    FunctionCounter.builder("tpp.waf.audit.records", count, LongAdder::sum)
        .description(
            "Audit log records by result: written, dropped (queue full), failed (I/O error)")
        .tag("result", result)
        .register(registry);
  }

  private Counter action(String action) {
    return actions.computeIfAbsent(
        action,
        a ->
            Counter.builder("tpp.waf.requests")
                .description("WAF verdicts")
                .tag("action", a)
                .register(registry));
  }

  void verdict(String action, long inspectionNanos) {
    action(action).increment();
    inspection.record(inspectionNanos, TimeUnit.NANOSECONDS);
  }

  void responseVerdict(String action, long inspectionNanos) {
    responseActions
        .computeIfAbsent(
            action,
            a ->
                Counter.builder("tpp.waf.responses")
                    .description("WAF verdicts on responses")
                    .tag("action", a)
                    .register(registry))
        .increment();
    responseInspection.record(inspectionNanos, TimeUnit.NANOSECONDS);
  }

  void ruleMatched(String ruleId) {
    rules
        .computeIfAbsent(
            ruleId,
            id ->
                Counter.builder("tpp.waf.rule.matches")
                    .description("WAF rule hits")
                    .tag("rule_id", id)
                    .register(registry))
        .increment();
  }
}
