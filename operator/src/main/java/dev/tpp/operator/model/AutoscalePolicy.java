package dev.tpp.operator.model;

import dev.tpp.config.Durations;
import dev.tpp.crds.AutoscalingSpec;
import dev.tpp.crds.ThreadPoolProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code spec.autoscaling} with its defaults applied ({@code targetPoolWaitP99} null: block time
 * alone). Pure. See {@code SpecValidator}, which reports its errors.
 */
public record AutoscalePolicy(
    boolean enabled,
    AutoscalingSpec.Mode mode,
    int minReplicas,
    int maxReplicas,
    Duration targetBlockP99,
    Duration scaleDownStabilization,
    Duration interval,
    Duration targetPoolWaitP99) {

  public static final Duration DEFAULT_TARGET = Duration.ofMillis(20);
  public static final Duration DEFAULT_STABILIZATION = Duration.ofMinutes(5);
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);

  /** The policy of {@code tpp}; disabled when {@code spec.autoscaling} is absent. */
  /** A policy on block time alone (no {@code targetPoolWaitP99}). */
  public AutoscalePolicy(
      boolean enabled,
      AutoscalingSpec.Mode mode,
      int minReplicas,
      int maxReplicas,
      Duration targetBlockP99,
      Duration scaleDownStabilization,
      Duration interval) {
    this(
        enabled,
        mode,
        minReplicas,
        maxReplicas,
        targetBlockP99,
        scaleDownStabilization,
        interval,
        null);
  }

  /** True when pool queue wait is a second scaling signal. */
  public boolean poolWaitSignal() {
    return targetPoolWaitP99 != null;
  }

  public static AutoscalePolicy of(ThreadPoolProxy tpp) {
    AutoscalingSpec a = tpp.getSpec() == null ? null : tpp.getSpec().autoscaling;
    if (a == null) {
      a = new AutoscalingSpec();
    }
    int min = a.minReplicas == null ? 1 : a.minReplicas;
    return new AutoscalePolicy(
        Boolean.TRUE.equals(a.enabled),
        a.mode == null ? AutoscalingSpec.Mode.Operator : a.mode,
        min,
        a.maxReplicas == null ? Math.max(min, 10) : a.maxReplicas,
        duration(a.targetBlockP99, DEFAULT_TARGET),
        duration(a.scaleDownStabilization, DEFAULT_STABILIZATION),
        duration(a.interval, DEFAULT_INTERVAL),
        duration(a.targetPoolWaitP99, null));
  }

  /** True when the operator itself scrapes and scales. */
  public boolean operatorMode() {
    return enabled && mode == AutoscalingSpec.Mode.Operator;
  }

  /** True when a KEDA ScaledObject scales. */
  public boolean kedaMode() {
    return enabled && mode == AutoscalingSpec.Mode.KEDA;
  }

  /**
   * Problems the CRD schema would catch but a direct API write might not; {@code SpecValidator}
   * reports them.
   */
  public static List<String> errors(ThreadPoolProxy tpp) {
    AutoscalingSpec a = tpp.getSpec() == null ? null : tpp.getSpec().autoscaling;
    List<String> errors = new ArrayList<>();
    if (a == null) {
      return errors;
    }
    Map<String, String> durations = new LinkedHashMap<>();
    durations.put("targetBlockP99", a.targetBlockP99);
    durations.put("scaleDownStabilization", a.scaleDownStabilization);
    durations.put("interval", a.interval);
    durations.put("targetPoolWaitP99", a.targetPoolWaitP99);
    durations.forEach(
        (field, text) -> {
          try {
            if (text != null && Durations.parse(text).isZero()) {
              errors.add("spec.autoscaling." + field + ": " + text + " (expected: > 0)");
            }
          } catch (IllegalArgumentException e) {
            errors.add("spec.autoscaling." + field + ": " + e.getMessage());
          }
        });
    AutoscalePolicy p = of(tpp);
    if (p.minReplicas() > p.maxReplicas()) {
      errors.add(
          "spec.autoscaling.minReplicas: "
              + p.minReplicas()
              + " (expected: <= maxReplicas "
              + p.maxReplicas()
              + ")");
    }
    return errors;
  }

  /**
   * A duration, or the default when absent or unreadable ({@link #errors} reports the unreadable
   * ones).
   */
  private static Duration duration(String text, Duration fallback) {
    try {
      return text == null || Durations.parse(text).isZero() ? fallback : Durations.parse(text);
    } catch (IllegalArgumentException e) {
      return fallback;
    }
  }
}
