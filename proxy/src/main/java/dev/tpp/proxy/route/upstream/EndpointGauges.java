package dev.tpp.proxy.route.upstream;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * {@code tpp_upstream_endpoints{upstream, state=healthy|ejected|draining}}: three series per
 * upstream name, whatever the number of endpoints. A reload builds a new {@link Upstream} under the
 * same name, and a registry keeps the first gauge registered for a name and tags, so the gauges
 * read a per-name {@link Source} that always points at the newest upstream of that name (none:
 * zeros). Any thread.
 */
final class EndpointGauges {
  private static final Map<MeterRegistry, Map<String, Source>> SOURCES = new WeakHashMap<>();

  private EndpointGauges() {}

  /** What the gauges of one upstream name read. */
  static final class Source {
    private volatile @Nullable Upstream current;

    private double count(String state) {
      Upstream u = current;
      return u == null ? 0 : u.endpointCount(state);
    }
  }

  /** From now on the gauges of {@code upstream}'s name show it. */
  static void publish(MeterRegistry registry, Upstream upstream) {
    source(registry, upstream.name()).current = upstream;
  }

  /**
   * {@code upstream} is closed: its name's gauges drop to zero, unless a newer upstream took them
   * over.
   */
  static void withdraw(MeterRegistry registry, Upstream upstream) {
    Source s = source(registry, upstream.name());
    if (s.current == upstream) {
      s.current = null;
    }
  }

  private static Source source(MeterRegistry registry, String name) {
    Map<String, Source> byName;
    synchronized (SOURCES) {
      byName = SOURCES.computeIfAbsent(registry, r -> new ConcurrentHashMap<>());
    }
    return byName.computeIfAbsent(name, n -> register(registry, n));
  }

  private static Source register(MeterRegistry registry, String name) {
    Source source = new Source();
    for (String state : new String[] {"healthy", "ejected", "draining"}) {
      Gauge.builder("tpp.upstream.endpoints", source, s -> s.count(state))
          .description("Endpoints known to the balancer, by state")
          .tag("upstream", name)
          .tag("state", state)
          .register(registry);
    }
    return source;
  }
}
