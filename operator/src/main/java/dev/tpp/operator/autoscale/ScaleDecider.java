package dev.tpp.operator.autoscale;

import dev.tpp.config.Durations;
import dev.tpp.operator.model.AutoscalePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The HPA algorithm on event-loop block time and, when {@code targetPoolWaitP99} is set, pool queue
 * wait (the larger ratio wins, as the HPA does with several metrics): {@code desired = ceil(current
 * * observed / target)}, no change within 10% of the target, scale up at once, scale down only to
 * the highest recommendation of the stabilization window, clamped to [min, max]. Pure: the caller
 * keeps the recommendation history and passes it back in.
 */
public final class ScaleDecider {
  static final double TOLERANCE = 0.1;

  private ScaleDecider() {}

  /** One past recommendation. */
  public record Recommendation(Instant at, int replicas) {}

  /** The outcome: replicas to set, a reason (for the Scaling condition) and the history to keep. */
  public record Decision(
      int replicas, String reason, String message, List<Recommendation> history, String signal) {
    public Decision(int replicas, String reason, String message, List<Recommendation> history) {
      this(replicas, reason, message, history, null);
    }
  }

  /** The signal names used in status, Events and messages. */
  public static final String BLOCK = "blockP99";

  public static final String POOL_WAIT = "poolWaitP99";

  /** Decides on block time alone. */
  public static Decision decide(
      int current,
      List<Double> podP99s,
      AutoscalePolicy policy,
      Instant now,
      List<Recommendation> history) {
    return decide(current, podP99s, List.of(), policy, now, history);
  }

  /**
   * Decides. {@code podP99s} holds one block-time p99 (seconds) per ready pod that was scraped
   * successfully over the last window, {@code poolWaitP99s} one pool queue-wait p99 per such pod;
   * pods that are not ready or whose scrape failed are simply absent. With {@code
   * targetPoolWaitP99} set, the larger ratio observed/target decides (as the HPA does with several
   * metrics), and the decision names that signal.
   */
  public static Decision decide(
      int current,
      List<Double> podP99s,
      List<Double> poolWaitP99s,
      AutoscalePolicy policy,
      Instant now,
      List<Recommendation> history) {
    List<Recommendation> kept = new ArrayList<>();
    Instant horizon = now.minus(policy.scaleDownStabilization());
    history.stream().filter(r -> r.at().isAfter(horizon)).forEach(kept::add);
    if (current < policy.minReplicas() || current > policy.maxReplicas()) {
      int clamped = clamp(current, policy);
      return new Decision(
          clamped,
          "OutOfRange",
          "replicas "
              + current
              + " outside ["
              + policy.minReplicas()
              + ", "
              + policy.maxReplicas()
              + "]: "
              + current
              + " -> "
              + clamped,
          kept);
    }
    Signal block = Signal.of(BLOCK, podP99s, policy.targetBlockP99());
    Signal wait =
        policy.poolWaitSignal()
            ? Signal.of(POOL_WAIT, poolWaitP99s, policy.targetPoolWaitP99())
            : null;
    if (block == null && wait == null) {
      return new Decision(
          current, "NoMetrics", "no ready pod with two successful scrapes yet", kept);
    }
    Signal decisive =
        wait == null || (block != null && block.ratio() >= wait.ratio()) ? block : wait;
    double ratio = decisive.ratio();
    int raw = Math.abs(ratio - 1) <= TOLERANCE ? current : (int) Math.ceil(current * ratio);
    int recommendation = clamp(raw, policy);
    kept.add(new Recommendation(now, recommendation));
    String why =
        Stream.of(block, wait)
                .filter(Objects::nonNull)
                .map(Signal::describe)
                .collect(Collectors.joining(", "))
            + " over "
            + Math.max(podP99s.size(), poolWaitP99s.size())
            + " pod(s)"
            + (wait == null ? "" : "; decided by " + decisive.name());
    if (recommendation > current) {
      return new Decision(
          recommendation,
          "ScaledUp",
          why + ": " + current + " -> " + recommendation,
          kept,
          decisive.name());
    }
    int stabilized =
        Math.min(current, kept.stream().mapToInt(Recommendation::replicas).max().orElse(current));
    if (stabilized < current) {
      return new Decision(
          stabilized,
          "ScaledDown",
          why + ": " + current + " -> " + stabilized,
          kept,
          decisive.name());
    }
    String reason = recommendation < current ? "Stabilizing" : "WithinTolerance";
    String detail =
        recommendation < current
            ? "; holding "
                + current
                + " (recommended "
                + recommendation
                + ") for "
                + Durations.format(policy.scaleDownStabilization())
            : "; holding " + current;
    return new Decision(current, reason, why + detail, kept, decisive.name());
  }

  /** One signal's mean per-pod p99 against its target; null without data. */
  private record Signal(String name, double observed, Duration target) {
    static Signal of(String name, List<Double> p99s, Duration target) {
      return p99s.isEmpty()
          ? null
          : new Signal(
              name, p99s.stream().mapToDouble(Double::doubleValue).average().orElseThrow(), target);
    }

    double ratio() {
      return observed / (target.toNanos() / 1e9);
    }

    String describe() {
      String label = name.equals(BLOCK) ? "p99" : "pool wait p99";
      return label + " " + format(observed) + " vs target " + Durations.format(target);
    }
  }

  private static int clamp(int replicas, AutoscalePolicy policy) {
    return Math.max(policy.minReplicas(), Math.min(policy.maxReplicas(), replicas));
  }

  /** Block time for status and messages, rounded to the microsecond ({@code 12ms345us}). */
  public static String format(double seconds) {
    return Durations.format(Duration.ofNanos(Math.round(seconds * 1e6) * 1000));
  }
}
