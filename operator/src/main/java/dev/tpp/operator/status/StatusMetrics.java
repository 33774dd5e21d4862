package dev.tpp.operator.status;

import dev.tpp.config.Durations;
import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.crds.ThreadPoolProxyStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Publishes each ThreadPoolProxy's status as gauges on the operator's registry, so dashboards can
 * plot what {@code kubectl get tpp} shows: {@code
 * tpp_operator_replicas{namespace,name,kind="spec"|"desired"|"ready"}}, {@code
 * tpp_operator_block_p99_seconds{namespace,name}} and {@code
 * tpp_operator_pods_on_config_hash_ratio{namespace,name}}. A value the status does not have (no
 * autoscaling decision yet, no ready pod) is NaN, not 0.
 *
 * <p>Reconciler threads call {@link #record} and {@link #retainOnly} (JOSDK runs one reconcile per
 * resource at a time, different resources concurrently); the registry's scrape thread reads the
 * gauges. Each resource's gauges are registered once and read a holder that every reconcile
 * overwrites.
 */
public final class StatusMetrics {
  static final String REPLICAS = "tpp.operator.replicas";
  static final String BLOCK_P99 = "tpp.operator.block.p99";
  static final String PODS_ON_CONFIG_HASH = "tpp.operator.pods.on.config.hash.ratio";

  private static final Map<String, String> HELP =
      Map.of(
          REPLICAS,
              "A ThreadPoolProxy's replicas: kind=spec (spec.replicas), desired (the autoscaler's), ready",
          BLOCK_P99, "A ThreadPoolProxy's mean per-pod p99 event-loop block time (status.blockP99)",
          PODS_ON_CONFIG_HASH,
              "Share of a ThreadPoolProxy's ready pods serving the applied config hash");

  private final MeterRegistry registry;
  private final Map<Key, Published> published = new ConcurrentHashMap<>();

  public StatusMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A resource's identity in the labels: {@code namespace} and {@code name}. */
  public record Key(String namespace, String name) {
    public static Key of(ThreadPoolProxy tpp) {
      return new Key(tpp.getMetadata().getNamespace(), tpp.getMetadata().getName());
    }
  }

  /** Sets the gauges of {@code tpp} from its spec and the status the reconciler just built. */
  public void record(ThreadPoolProxy tpp) {
    Published p = published.computeIfAbsent(Key.of(tpp), this::register);
    ThreadPoolProxyStatus s =
        tpp.getStatus() == null ? new ThreadPoolProxyStatus() : tpp.getStatus();
    p.spec = number(tpp.getSpec() == null ? null : tpp.getSpec().replicas);
    p.desired = number(s.desiredReplicas);
    p.ready = number(s.readyReplicas);
    p.blockP99 = seconds(s.blockP99);
    p.podsOnConfigHash = ratio(s.podsOnConfigHash);
  }

  /**
   * Removes the gauges of resources that are gone; {@code live} holds the keys that still exist.
   * Called on every reconcile, so a deleted resource's series go at the next reconcile of any other
   * one (no finalizer needed).
   */
  public void retainOnly(Set<Key> live) {
    published
        .entrySet()
        .removeIf(
            e -> {
              if (live.contains(e.getKey())) {
                return false;
              }
              e.getValue().meters.forEach(registry::remove);
              return true;
            });
  }

  private Published register(Key key) {
    Published p = new Published();
    Tags tags = Tags.of("namespace", key.namespace(), "name", key.name());
    p.meters =
        List.of(
            gauge(REPLICAS, p, h -> h.spec, tags.and("kind", "spec"), null),
            gauge(REPLICAS, p, h -> h.desired, tags.and("kind", "desired"), null),
            gauge(REPLICAS, p, h -> h.ready, tags.and("kind", "ready"), null),
            gauge(BLOCK_P99, p, h -> h.blockP99, tags, "seconds"),
            gauge(PODS_ON_CONFIG_HASH, p, h -> h.podsOnConfigHash, tags, null));
    return p;
  }

  private Meter gauge(
      String name, Published p, ToDoubleFunction<Published> value, Tags tags, String unit) {
    return Gauge.builder(name, p, value)
        .tags(tags)
        .baseUnit(unit)
        .description(HELP.get(name))
        .strongReference(true)
        .register(registry);
  }

  private static double number(Integer n) {
    return n == null ? Double.NaN : n;
  }

  /**
   * {@code status.blockP99} as {@link dev.tpp.operator.autoscale.ScaleDecider#format} writes it,
   * e.g. 12ms345us.
   */
  static double seconds(String duration) {
    if (duration == null || duration.isBlank()) {
      return Double.NaN;
    }
    try {
      return Durations.parse(duration).toNanos() / 1e9;
    } catch (IllegalArgumentException e) {
      return Double.NaN;
    }
  }

  /**
   * {@code status.podsOnConfigHash} ("3/3": ready pods on the applied hash / ready pods); NaN
   * without ready pods.
   */
  static double ratio(String fraction) {
    if (fraction == null) {
      return Double.NaN;
    }
    String[] parts = fraction.split("/");
    try {
      double ready = parts.length == 2 ? Double.parseDouble(parts[1]) : 0;
      return ready > 0 ? Double.parseDouble(parts[0]) / ready : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** The values the gauges read; written by reconciler threads, read by the scrape thread. */
  private static final class Published {
    volatile double spec = Double.NaN;
    volatile double desired = Double.NaN;
    volatile double ready = Double.NaN;
    volatile double blockP99 = Double.NaN;
    volatile double podsOnConfigHash = Double.NaN;
    List<Meter> meters = List.of();
  }
}
