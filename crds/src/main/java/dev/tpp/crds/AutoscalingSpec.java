package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** Scaling on event-loop block time ({@code spec.autoscaling}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas",
    message = "minReplicas must be <= maxReplicas")
public class AutoscalingSpec {
  public Boolean enabled;

  @JsonPropertyDescription("Operator (default): the operator scrapes pods and scales; KEDA: a ScaledObject does.")
  public Mode mode;

  @Min(1)
  @Max(1000)
  public Integer minReplicas;

  @Min(1)
  @Max(1000)
  public Integer maxReplicas;

  @JsonPropertyDescription("Target p99 event-loop block time per pod, e.g. 20ms.")
  @Pattern(ThreadPoolProxySpec.DURATION)
  public String targetBlockP99;

  @JsonPropertyDescription("Second signal (optional): target p99 time a task waits in the pods' pool queues, all"
      + " pools together, e.g. 50ms. The autoscaler scales on the larger of the two ratios observed/target.")
  @Pattern(ThreadPoolProxySpec.DURATION)
  public String targetPoolWaitP99;

  @JsonPropertyDescription("Scale down only after lower recommendations for this long, e.g. 5m.")
  @Pattern(ThreadPoolProxySpec.DURATION)
  public String scaleDownStabilization;

  @JsonPropertyDescription("Scrape and decide every interval (mode Operator), e.g. 15s.")
  @Pattern(ThreadPoolProxySpec.DURATION)
  public String interval;

  /** Who computes the scale. */
  public enum Mode {
    Operator,
    KEDA
  }
}
