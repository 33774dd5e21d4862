package dev.tpp.operator.dependent;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.model.Names;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/** Service {@code NAME}: port 80 to the pods' {@code http} port, 9090 to their {@code admin} port. */
public class ServiceDependent extends CRUDKubernetesDependentResource<Service, ThreadPoolProxy> {
  public ServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(ThreadPoolProxy tpp, Context<ThreadPoolProxy> context) {
    return new ServiceBuilder()
        .withMetadata(Names.metadata(tpp, Names.workload(tpp)))
        .withNewSpec()
        .withSelector(Names.selectorLabels(tpp))
        .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).withProtocol("TCP").endPort()
        .addNewPort()
        .withName("admin")
        .withPort(9090)
        .withTargetPort(new IntOrString("admin"))
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }
}
