package dev.tpp.operator.model;

import dev.tpp.crds.DisruptionBudgetSpec;
import dev.tpp.crds.ThreadPoolProxy;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/**
 * PodDisruptionBudget {@code NAME} from {@code spec.podDisruptionBudget}: its {@code minAvailable}
 * or {@code maxUnavailable}, else {@code maxUnavailable: 1} (one pod evicted at a time). Pure.
 */
public final class DisruptionBudgetRenderer {
  private DisruptionBudgetRenderer() {}

  public static PodDisruptionBudget render(ThreadPoolProxy tpp) {
    DisruptionBudgetSpec budget =
        tpp.getSpec() == null || tpp.getSpec().podDisruptionBudget == null
            ? new DisruptionBudgetSpec()
            : tpp.getSpec().podDisruptionBudget;
    IntOrString maxUnavailable = budget.maxUnavailable;
    if (budget.minAvailable == null && maxUnavailable == null) {
      maxUnavailable = new IntOrString(1);
    }
    return new PodDisruptionBudgetBuilder()
        .withMetadata(Names.metadata(tpp, Names.workload(tpp)))
        .withNewSpec()
        .withMinAvailable(budget.minAvailable)
        .withMaxUnavailable(maxUnavailable)
        .withNewSelector()
        .withMatchLabels(Names.selectorLabels(tpp))
        .endSelector()
        .endSpec()
        .build();
  }
}
