package dev.tpp.operator.dependent;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.model.Names;
import dev.tpp.operator.model.ServiceRenderer;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Service {@code NAME}, data traffic only ({@link ServiceRenderer#data}). */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR))
public class ServiceDependent extends CRUDKubernetesDependentResource<Service, ThreadPoolProxy> {
  public ServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(ThreadPoolProxy tpp, Context<ThreadPoolProxy> context) {
    return ServiceRenderer.data(tpp);
  }
}
