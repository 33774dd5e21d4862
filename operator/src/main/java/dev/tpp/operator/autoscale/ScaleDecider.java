package dev.tpp.operator.autoscale;

import dev.tpp.config.Durations;
import dev.tpp.operator.model.AutoscalePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The HPA algorithm on event-loop block time: {@code desired = ceil(current * observed / target)}, no change within
 * 10% of the target, scale up at once, scale down only to the highest recommendation of the stabilization window,
 * clamped to [min, max]. Pure: the caller keeps the recommendation history and passes it back in.
 */
public final class ScaleDecider {
  static final double TOLERANCE = 0.1;

  private ScaleDecider() {}

  /** One past recommendation. */
  public record Recommendation(Instant at, int replicas) {}

  /** The outcome: replicas to set, a reason (for the Scaling condition) and the history to keep. */
  public record Decision(int replicas, String reason, String message, List<Recommendation> history) {}

  /**
   * Decides. {@code podP99s} holds one p99 (seconds) per ready pod that was scraped successfully over the last
   * window; pods that are not ready or whose scrape failed are simply absent.
   */
  public static Decision decide(
      int current, List<Double> podP99s, AutoscalePolicy policy, Instant now, List<Recommendation> history) {
    List<Recommendation> kept = new ArrayList<>();
    Instant horizon = now.minus(policy.scaleDownStabilization());
    history.stream().filter(r -> r.at().isAfter(horizon)).forEach(kept::add);
    if (current < policy.minReplicas() || current > policy.maxReplicas()) {
      int clamped = clamp(current, policy);
      return new Decision(clamped, "OutOfRange", "replicas " + current + " outside [" + policy.minReplicas() + ", "
          + policy.maxReplicas() + "]: " + current + " -> " + clamped, kept);
    }
    if (podP99s.isEmpty()) {
      return new Decision(current, "NoMetrics", "no ready pod with two successful scrapes yet", kept);
    }
    double observed = podP99s.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double target = policy.targetBlockP99().toNanos() / 1e9;
    double ratio = observed / target;
    int raw = Math.abs(ratio - 1) <= TOLERANCE ? current : (int) Math.ceil(current * ratio);
    int recommendation = clamp(raw, policy);
    kept.add(new Recommendation(now, recommendation));
    String why = "p99 " + format(observed) + " vs target " + Durations.format(policy.targetBlockP99()) + " over "
        + podP99s.size() + " pod(s)";
    if (recommendation > current) {
      return new Decision(recommendation, "ScaledUp", why + ": " + current + " -> " + recommendation, kept);
    }
    int stabilized = Math.min(current, kept.stream().mapToInt(Recommendation::replicas).max().orElse(current));
    if (stabilized < current) {
      return new Decision(stabilized, "ScaledDown", why + ": " + current + " -> " + stabilized, kept);
    }
    String reason = recommendation < current ? "Stabilizing" : "WithinTolerance";
    String detail = recommendation < current
        ? "; holding " + current + " (recommended " + recommendation + ") for "
            + Durations.format(policy.scaleDownStabilization())
        : "; holding " + current;
    return new Decision(current, reason, why + detail, kept);
  }

  private static int clamp(int replicas, AutoscalePolicy policy) {
    return Math.max(policy.minReplicas(), Math.min(policy.maxReplicas(), replicas));
  }

  /** Block time for status and messages, rounded to the microsecond ({@code 12ms345us}). */
  public static String format(double seconds) {
    return Durations.format(Duration.ofNanos(Math.round(seconds * 1e6) * 1000));
  }
}
