package dev.tpp.operator.autoscale;

import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One pod's {@code tpp_event_loop_block_seconds} classic histogram, buckets summed across workers:
 * cumulative counts by upper bound ({@code le}, with +Inf). Immutable and pure; the window between
 * two scrapes is {@link #minus}.
 */
public record BlockHistogram(NavigableMap<Double, Double> cumulative) {
  public static final String METRIC = "tpp_event_loop_block_seconds_bucket";

  /** Pool queue wait, buckets summed across pools: the second scaling signal. */
  public static final String POOL_WAIT = "tpp_pool_task_wait_seconds_bucket";

  public BlockHistogram {
    cumulative = new TreeMap<>(cumulative);
  }

  /**
   * Parses just the block-time buckets out of a Prometheus text exposition; empty when there are
   * none.
   */
  public static Optional<BlockHistogram> parse(String exposition) {
    return parse(exposition, METRIC);
  }

  /**
   * Parses the buckets of {@code metric} (a {@code _bucket} series), summed over every other label.
   */
  public static Optional<BlockHistogram> parse(String exposition, String metric) {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    for (String line : exposition.split("\n")) {
      if (!line.startsWith(metric + "{")) {
        continue;
      }
      int close = line.lastIndexOf('}');
      String le = label(line.substring(metric.length() + 1, close), "le");
      String[] rest = line.substring(close + 1).trim().split("\\s+");
      if (le == null || rest.length == 0) {
        continue;
      }
      double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
      buckets.merge(bound, Double.parseDouble(rest[0]), Double::sum);
    }
    return buckets.isEmpty() ? Optional.empty() : Optional.of(new BlockHistogram(buckets));
  }

  /**
   * This histogram minus an earlier one of the same pod; empty when a counter went down (the pod
   * restarted).
   */
  public Optional<BlockHistogram> minus(BlockHistogram earlier) {
    TreeMap<Double, Double> delta = new TreeMap<>();
    for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
      double diff = e.getValue() - earlier.cumulative.getOrDefault(e.getKey(), 0.0);
      if (diff < 0) {
        return Optional.empty();
      }
      delta.put(e.getKey(), diff);
    }
    return Optional.of(new BlockHistogram(delta));
  }

  /** Observations counted (the +Inf bucket). */
  public double count() {
    return cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
  }

  /**
   * The q-quantile in seconds, interpolated linearly inside its bucket like PromQL's
   * histogram_quantile; the highest finite bound when it falls in +Inf; 0 when nothing was
   * observed.
   */
  public double quantile(double q) {
    double total = count();
    if (total <= 0) {
      return 0;
    }
    double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
      if (e.getValue() >= rank) {
        if (e.getKey().isInfinite()) {
          return lowerBound;
        }
        double inBucket = e.getValue() - lowerCount;
        return inBucket <= 0
            ? e.getKey()
            : lowerBound + (e.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
      }
      lowerBound = e.getKey();
      lowerCount = e.getValue();
    }
    return lowerBound;
  }

  private static String label(String labels, String name) {
    for (String pair : labels.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
        return pair.substring(eq + 1).trim().replace("\"", "");
      }
    }
    return null;
  }
}
