package dev.tpp.proxy.metrics;

import java.time.Duration;

/**
 * Classic-histogram bucket bounds shared by our timers. Explicit bounds (rather than Micrometer's
 * percentile histogram) keep the series count small and give the operator and dashboards fixed
 * {@code le} values to compute p99.
 */
public final class Buckets {
  private Buckets() {}

  /** 100 µs .. 10 s: event-loop block time, pool wait and run time, WAF inspection. */
  public static final Duration[] LATENCY = {
    Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
        Duration.ofMillis(1),
    Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(20),
    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
    Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)
  };

  /** 1 ms .. 60 s: whole requests. */
  public static final Duration[] REQUEST = {
    Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
    Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
    Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
    Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)
  };
}
