package dev.tpp.operator.dependent;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.model.Names;
import dev.tpp.operator.model.ServiceRenderer;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * Service {@code NAME-metrics}, the admin port apart from data traffic ({@link
 * ServiceRenderer#metrics}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR))
public class MetricsServiceDependent
    extends CRUDKubernetesDependentResource<Service, ThreadPoolProxy> {
  public MetricsServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(ThreadPoolProxy tpp, Context<ThreadPoolProxy> context) {
    return ServiceRenderer.metrics(tpp);
  }
}
