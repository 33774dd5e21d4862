package dev.tpp.proxy.tls;

import dev.tpp.config.tls.CertificatePair;
import dev.tpp.proxy.metrics.Buckets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code tpp_tls_handshakes_total{listener,result}}, {@code tpp_tls_handshake_seconds{listener}}
 * and {@code tpp_tls_certificate_expiry_timestamp_seconds{server_name}}. Meters are resolved once
 * per listener and result, then cached; handshake results are recorded on event loops, expiry
 * gauges replaced on the control thread.
 */
final class TlsMetrics {
  /** The {@code result} label values. */
  enum Result {
    SUCCESS,
    RESUMED,
    FAILURE;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final MeterRegistry registry;
  private final Map<String, Counter[]> handshakes = new ConcurrentHashMap<>();
  private final Map<String, Timer> durations = new ConcurrentHashMap<>();
  private final Map<String, Gauge> expiry = new ConcurrentHashMap<>();

  TlsMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void handshake(String listener, Result result, long nanos) {
    handshakes.computeIfAbsent(listener, this::counters)[result.ordinal()].increment();
    if (result != Result.FAILURE) {
      durations
          .computeIfAbsent(
              listener,
              l ->
                  Timer.builder("tpp.tls.handshake")
                      .description("TLS handshake time, ClientHello to Finished")
                      .tag("listener", l)
                      .serviceLevelObjectives(Buckets.LATENCY)
                      .register(registry))
          .record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Registers the listeners' counters at zero, so a dashboard shows a listener before its first
   * handshake.
   */
  void listeners(Collection<String> names) {
    names.forEach(n -> handshakes.computeIfAbsent(n, this::counters));
  }

  /** One expiry gauge per server name in force; names no longer served disappear. */
  synchronized void certificates(Collection<CertificatePair> pairs) {
    Map<String, Double> wanted = new HashMap<>();
    for (CertificatePair pair : pairs) {
      wanted.merge(pair.serverName(), pair.notAfter().getEpochSecond() * 1.0, Math::min);
    }
    expiry
        .keySet()
        .removeIf(
            name -> {
              boolean gone = !wanted.containsKey(name);
              if (gone) {
                registry.remove(Objects.requireNonNull(expiry.get(name), name));
              }
              return gone;
            });
    wanted.forEach(
        (name, notAfter) -> {
          Gauge old = expiry.remove(name);
          if (old != null) {
            registry.remove(old);
          }
          expiry.put(
              name,
              Gauge.builder("tpp.tls.certificate.expiry.timestamp", () -> notAfter)
                  .description("notAfter of each loaded certificate (Unix seconds)")
                  .baseUnit("seconds")
                  .tag("server_name", name)
                  .register(registry));
        });
  }

  private Counter[] counters(String listener) {
    Counter[] byResult = new Counter[Result.values().length];
    for (Result r : Result.values()) {
      byResult[r.ordinal()] =
          Counter.builder("tpp.tls.handshakes")
              .description("TLS handshakes by result")
              .tag("listener", listener)
              .tag("result", r.label())
              .register(registry);
    }
    return byResult;
  }
}
