package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed; written only by the operator (status subresource). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ThreadPoolProxyStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  public Long observedGeneration;

  @JsonPropertyDescription("Ready, ConfigValid and Scaling, in metav1.Condition shape.")
  public List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Pods of the Deployment (the scale subresource's status replicas).")
  @StatusReplicas
  public Integer replicas;

  @JsonPropertyDescription("Ready pods of the Deployment.")
  public Integer readyReplicas;

  @JsonPropertyDescription("Label selector of the pods, for the scale subresource.")
  @LabelSelector
  public String selector;

  @JsonPropertyDescription(
      "Hash of the config in the ConfigMap (as the proxy's /config reports it).")
  public String configHash;

  @JsonPropertyDescription("Ready pods serving configHash, out of ready pods, e.g. 3/3.")
  public String podsOnConfigHash;

  @JsonPropertyDescription(
      "Mean of the ready pods' p99 event-loop block time in the last window, e.g. 12ms.")
  public String blockP99;

  @JsonPropertyDescription(
      "Mean of the ready pods' p99 pool queue wait in the last window (with targetPoolWaitP99).")
  public String poolWaitP99;

  @JsonPropertyDescription(
      "The signal that decided the last scaling recommendation: blockP99 or poolWaitP99.")
  public String scalingSignal;

  @JsonPropertyDescription("Replicas the autoscaler last recommended.")
  public Integer desiredReplicas;
}
