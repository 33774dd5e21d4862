package dev.tpp.operator.dependent;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.model.Names;
import dev.tpp.operator.model.PodTemplateRenderer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * Deployment {@code NAME}. Its replicas follow {@code spec.replicas} (the scale subresource is the
 * single owner); its pod template comes from {@link PodTemplateRenderer}, which never sees
 * hot-reloadable fields.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR))
public class DeploymentDependent
    extends CRUDKubernetesDependentResource<Deployment, ThreadPoolProxy> {
  public DeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment desired(ThreadPoolProxy tpp, Context<ThreadPoolProxy> context) {
    String image = DesiredState.of(context).settings().defaultImage();
    return new DeploymentBuilder()
        .withMetadata(Names.metadata(tpp, Names.workload(tpp)))
        .withNewSpec()
        .withReplicas(replicas(tpp))
        .withNewSelector()
        .withMatchLabels(Names.selectorLabels(tpp))
        .endSelector()
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withNewMaxUnavailable(0)
        .withNewMaxSurge("25%")
        .endRollingUpdate()
        .endStrategy()
        .withTemplate(PodTemplateRenderer.render(tpp, image))
        .endSpec()
        .build();
  }

  /** {@code spec.replicas}, default 1. */
  public static int replicas(ThreadPoolProxy tpp) {
    return tpp.getSpec() == null || tpp.getSpec().replicas == null ? 1 : tpp.getSpec().replicas;
  }
}
