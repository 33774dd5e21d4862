package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** Scaling on event-loop block time ({@code spec.autoscaling}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas",
    message = "minReplicas must be <= maxReplicas")
public class AutoscalingSpec {
  @JsonPropertyDescription(
      "Scale spec.replicas on the pods' event-loop block time (and pool wait, with"
          + " targetPoolWaitP99).")
  @Default("false")
  public Boolean enabled;

  @JsonPropertyDescription(
      "Operator: the operator scrapes the pods and writes the scale subresource; KEDA: the operator"
          + " writes a KEDA ScaledObject with Prometheus triggers.")
  @Default("Operator")
  public Mode mode;

  @JsonPropertyDescription("Fewest replicas the autoscaler sets.")
  @Default("1")
  @Min(1)
  @Max(1000)
  public Integer minReplicas;

  @JsonPropertyDescription(
      "Most replicas the autoscaler sets; when absent, the larger of 10 and minReplicas.")
  @Min(1)
  @Max(1000)
  public Integer maxReplicas;

  @JsonPropertyDescription(
      "Target mean over the pods of each pod's p99 event-loop block time, e.g. 20ms.")
  @Default("20ms")
  @Pattern(ThreadPoolProxySpec.DURATION)
  public String targetBlockP99;

  @JsonPropertyDescription(
      "Second signal (optional, no default): target p99 time a task waits in the pods' pool queues,"
          + " all pools together, e.g. 50ms. The autoscaler scales on the larger of the two ratios"
          + " observed/target.")
  @Pattern(ThreadPoolProxySpec.DURATION)
  public String targetPoolWaitP99;

  @JsonPropertyDescription(
      "Scale down only to the highest recommendation of this last window, e.g. 5m.")
  @Default("5m")
  @Pattern(ThreadPoolProxySpec.DURATION)
  public String scaleDownStabilization;

  @JsonPropertyDescription(
      "Scrape and decide every interval (mode Operator; KEDA's pollingInterval in mode KEDA).")
  @Default("15s")
  @Pattern(ThreadPoolProxySpec.DURATION)
  public String interval;

  /** Who computes the scale. */
  public enum Mode {
    Operator,
    KEDA
  }
}
