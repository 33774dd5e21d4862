package dev.tpp.operator.dependent;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.model.HttpsListenerRenderer;
import dev.tpp.operator.model.Names;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import java.util.ArrayList;
import java.util.List;

/**
 * Service {@code NAME}: port 80 to the pods' {@code http} port, 443 to their {@code https} port when {@code spec.tls}
 * is set, 9090 to their {@code admin} port.
 */
public class ServiceDependent extends CRUDKubernetesDependentResource<Service, ThreadPoolProxy> {
  public ServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(ThreadPoolProxy tpp, Context<ThreadPoolProxy> context) {
    List<ServicePort> ports = new ArrayList<>(List.of(port("http", 80)));
    if (tpp.getSpec() != null && HttpsListenerRenderer.enabled(tpp.getSpec())) {
      ports.add(port(HttpsListenerRenderer.NAME, 443));
    }
    ports.add(port("admin", 9090));
    return new ServiceBuilder()
        .withMetadata(Names.metadata(tpp, Names.workload(tpp)))
        .withNewSpec()
        .withSelector(Names.selectorLabels(tpp))
        .withPorts(ports)
        .endSpec()
        .build();
  }

  /** A Service port aimed at the container port of the same name, so a changed port number needs no Service edit. */
  private static ServicePort port(String name, int port) {
    return new ServicePortBuilder()
        .withName(name)
        .withPort(port)
        .withTargetPort(new IntOrString(name))
        .withProtocol("TCP")
        .build();
  }
}
