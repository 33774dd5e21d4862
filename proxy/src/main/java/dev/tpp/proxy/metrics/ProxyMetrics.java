package dev.tpp.proxy.metrics;

import dev.tpp.proxy.clock.MeterClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The proxy's Prometheus registry and the request-level meters. Thread-safe: event loops record,
 * the admin loop scrapes. Meters are cached by label values so the hot path does one map lookup, no
 * registration. The JVM and process meters come from {@link RuntimeMetrics}.
 */
public final class ProxyMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(
          PrometheusConfig.DEFAULT, new PrometheusRegistry(), new MeterClock());

  /** Per route, the counter of each status code, indexed by the code: no key built per request. */
  private final Map<String, AtomicReferenceArray<Counter>> requests = new ConcurrentHashMap<>();

  private final Map<String, Timer> durations = new ConcurrentHashMap<>();
  private final Map<String, WorkerMetrics> workers = new ConcurrentHashMap<>();
  private final Map<String, Counter> reloads = new ConcurrentHashMap<>();
  private final AtomicReference<Gauge> configInfo = new AtomicReference<>();
  private final RuntimeMetrics runtime = new RuntimeMetrics(registry);

  public ProxyMetrics() {
    // Both series exist from the start, so rate() and alerts see the first failure as an increase
    // from 0.
    reloadCounter("success");
    reloadCounter("failure");
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  /** The meters of worker {@code label} (created once, shared by successive worker generations). */
  public WorkerMetrics worker(String label) {
    return workers.computeIfAbsent(label, l -> new WorkerMetrics(registry, l));
  }

  /**
   * One request finished: {@code tpp_http_requests_total} and {@code
   * tpp_http_request_duration_seconds}.
   */
  public void requestDone(String route, int status, long nanos) {
    AtomicReferenceArray<Counter> byStatus = requests.get(route); // no bin lookup twice
    if (byStatus == null) {
      byStatus = requests.computeIfAbsent(route, r -> new AtomicReferenceArray<>(600));
    }
    int index = status >= 0 && status < 600 ? status : 0;
    Counter counter = byStatus.get(index);
    if (counter == null) {
      counter =
          Counter.builder("tpp.http.requests")
              .description("Requests served")
              .tag("route", route)
              .tag("status", Integer.toString(status))
              .register(registry);
      byStatus.set(
          index,
          counter); // a racing loop registers the same meter; Micrometer returns the one instance
    }
    counter.increment();
    Timer duration =
        durations.get(route); // get first: computeIfAbsent's capturing lambda was made per request
    if (duration == null) {
      duration = durations.computeIfAbsent(route, this::durationTimer);
    }
    duration.record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer durationTimer(String route) {
    return Timer.builder("tpp.http.request.duration")
        .description("First byte in to last byte out")
        .tag("route", route)
        .serviceLevelObjectives(Buckets.REQUEST)
        .register(registry);
  }

  /** A reload attempt: {@code tpp_config_reloads_total{result}}. */
  public void reload(boolean success) {
    reloadCounter(success ? "success" : "failure").increment();
  }

  private Counter reloadCounter(String result) {
    return reloads.computeIfAbsent(
        result,
        r ->
            Counter.builder("tpp.config.reloads")
                .description("Config reloads")
                .tag("result", r)
                .register(registry));
  }

  /**
   * Removes the meters of workers {@code count} and above (their loops have stopped after a {@code
   * workers} decrease), so the labels stay {@code 0..N-1}. Called by the control thread.
   */
  public void retainWorkers(int count) {
    workers
        .entrySet()
        .removeIf(
            e -> {
              if (Integer.parseInt(e.getKey()) < count) {
                return false;
              }
              e.getValue().remove(registry);
              return true;
            });
  }

  /** Points {@code tpp_config_info{hash}} at the config now in force (one series at a time). */
  public void configInForce(String hash) {
    Gauge next =
        Gauge.builder("tpp.config.info", () -> 1)
            .description("The config in force (value 1)")
            .tag("hash", hash)
            .register(registry);
    Gauge previous = configInfo.getAndSet(next);
    if (previous != null && previous != next) {
      registry.remove(previous);
    }
  }

  /**
   * Stops the JVM binders' listeners; the registry can still be scraped. Called once, when the
   * server closes.
   */
  public void close() {
    runtime.close();
  }
}
