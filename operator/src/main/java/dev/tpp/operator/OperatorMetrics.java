package dev.tpp.operator;

import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;

/**
 * The operator's one metrics registry, the one {@code /metrics} serves: JOSDK's Micrometer metrics
 * aggregated per controller (no {@code name}/{@code namespace} tags, so series do not grow with the
 * number of resources), the {@code tpp_operator_*} status gauges, and Micrometer's JVM and process
 * binders (GC pauses, heap, threads, CPU, open files). JOSDK registers its meters without a
 * description; a filter gives every one a HELP text, so the exposition passes {@code promtool check
 * metrics}. Built once by {@link Main} (and by tests) on the main thread.
 */
public final class OperatorMetrics {
  /**
   * HELP texts of JOSDK's meters by name prefix; names ending in a controller or execution name
   * match a prefix.
   */
  private static final Map<String, String> JOSDK_HELP =
      Map.ofEntries(
          Map.entry(
              "operator.sdk.reconciliations.started", "Reconciliations started (retries included)"),
          Map.entry(
              "operator.sdk.reconciliations.success",
              "Reconciliations that finished without an exception"),
          Map.entry(
              "operator.sdk.reconciliations.failed", "Reconciliations that ended in an exception"),
          Map.entry(
              "operator.sdk.reconciliations.retries.number", "Reconciliations that were a retry"),
          Map.entry(
              "operator.sdk.reconciliations.retries.last",
              "Reconciliations that were the last retry"),
          Map.entry(
              "operator.sdk.reconciliations.executions.",
              "Reconciliations running now, per controller"),
          Map.entry(
              "operator.sdk.reconciliations.queue.size.",
              "Resources waiting to be reconciled, per controller"),
          Map.entry(
              "operator.sdk.controllers.execution.",
              "Controller executions (reconcile, cleanup) by outcome"),
          Map.entry(
              "operator.sdk.events.received",
              "Events received from the informers and event sources"),
          Map.entry("operator.sdk.events.delete", "Delete events of primary resources"));

  private OperatorMetrics() {}

  /** A Prometheus registry with HELP on every meter and the JVM and process binders bound. */
  public static PrometheusMeterRegistry registry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(describeUndescribed());
    bindRuntime(registry);
    return registry;
  }

  /**
   * JOSDK's metrics on {@code registry}, aggregated per controller: no per-resource tags, no
   * per-resource cleanup.
   */
  public static MicrometerMetrics josdk(MeterRegistry registry) {
    return MicrometerMetrics.withoutPerResourceMetrics(registry);
  }

  /**
   * Gives a meter without a description the text of {@link #JOSDK_HELP}, or one naming it, as its
   * HELP.
   */
  static MeterFilter describeUndescribed() {
    return new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        if (id.getDescription() != null && !id.getDescription().isBlank()) {
          return id;
        }
        return new Meter.Id(
            id.getName(),
            Tags.of(id.getTagsAsIterable()),
            id.getBaseUnit(),
            help(id.getName()),
            id.getType());
      }
    };
  }

  static String help(String name) {
    return JOSDK_HELP.entrySet().stream()
        .filter(e -> name.startsWith(e.getKey()))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse("Operator metric " + name);
  }

  private static void bindRuntime(MeterRegistry registry) {
    // as on the proxy (RuntimeMetrics): "_ns" and "_count" on these two break Prometheus naming
    // (promtool)
    registry
        .config()
        .meterFilter(
            MeterFilter.deny(
                id ->
                    id.getName().equals("process.cpu.time")
                        || id.getName().equals("system.cpu.count")));
    new JvmMemoryMetrics().bindTo(registry);
    // bound for the life of the process: the operator's JVM ends with it
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }
}
