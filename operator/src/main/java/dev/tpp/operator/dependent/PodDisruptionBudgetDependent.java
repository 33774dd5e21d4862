package dev.tpp.operator.dependent;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.model.DisruptionBudgetRenderer;
import dev.tpp.operator.model.Names;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * PodDisruptionBudget {@code NAME} ({@link DisruptionBudgetRenderer}); exists only while replicas >
 * 1.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR))
public class PodDisruptionBudgetDependent
    extends CRUDKubernetesDependentResource<PodDisruptionBudget, ThreadPoolProxy> {
  public PodDisruptionBudgetDependent() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected PodDisruptionBudget desired(ThreadPoolProxy tpp, Context<ThreadPoolProxy> context) {
    return DisruptionBudgetRenderer.render(tpp);
  }

  /**
   * Reconcile precondition: more than one replica (otherwise the PDB would block node drains; it is
   * deleted).
   */
  public static class MultipleReplicas implements Condition<PodDisruptionBudget, ThreadPoolProxy> {
    @Override
    public boolean isMet(
        DependentResource<PodDisruptionBudget, ThreadPoolProxy> dependent,
        ThreadPoolProxy tpp,
        Context<ThreadPoolProxy> context) {
      return DeploymentDependent.replicas(tpp) > 1;
    }
  }
}
