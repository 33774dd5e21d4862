package dev.tpp.operator.model;

import dev.tpp.config.Durations;
import dev.tpp.crds.AutoscalingSpec;
import dev.tpp.crds.ThreadPoolProxy;
import java.time.Duration;

/** {@code spec.autoscaling} with its defaults applied. Pure. */
public record AutoscalePolicy(
    boolean enabled,
    AutoscalingSpec.Mode mode,
    int minReplicas,
    int maxReplicas,
    Duration targetBlockP99,
    Duration scaleDownStabilization,
    Duration interval) {

  public static final Duration DEFAULT_TARGET = Duration.ofMillis(20);
  public static final Duration DEFAULT_STABILIZATION = Duration.ofMinutes(5);
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);

  /** The policy of {@code tpp}; disabled when {@code spec.autoscaling} is absent. */
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
        duration(a.interval, DEFAULT_INTERVAL));
  }

  /** True when the operator itself scrapes and scales. */
  public boolean operatorMode() {
    return enabled && mode == AutoscalingSpec.Mode.Operator;
  }

  /** True when a KEDA ScaledObject scales. */
  public boolean kedaMode() {
    return enabled && mode == AutoscalingSpec.Mode.KEDA;
  }

  private static Duration duration(String text, Duration fallback) {
    return text == null ? fallback : Durations.parse(text);
  }
}
