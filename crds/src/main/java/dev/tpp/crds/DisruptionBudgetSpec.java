package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * The PodDisruptionBudget {@code NAME} ({@code spec.podDisruptionBudget}); it exists while replicas
 * > 1. Neither field set: {@code maxUnavailable: 1}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.minAvailable) && has(self.maxUnavailable))",
    message = "set at most one of minAvailable and maxUnavailable")
public class DisruptionBudgetSpec {
  @JsonPropertyDescription(
      "Pods that must stay available during voluntary disruptions: a number or a percentage.")
  public IntOrString minAvailable;

  @JsonPropertyDescription(
      "Pods that may be unavailable during voluntary disruptions: a number or a percentage"
          + " (1 when neither field is set).")
  public IntOrString maxUnavailable;
}
