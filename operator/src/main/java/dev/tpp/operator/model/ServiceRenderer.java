package dev.tpp.operator.model;

import dev.tpp.crds.ServiceSpec;
import dev.tpp.crds.ThreadPoolProxy;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two Services of a ThreadPoolProxy. {@code NAME} carries data traffic only: port 80 to the
 * pods' {@code http} port, 443 to {@code https} with {@code spec.tls}, shaped by {@code
 * spec.service}. {@code NAME-metrics} is headless and carries only the admin port (9090, named
 * {@code admin}: /metrics, /healthz, /readyz, /config), so exposing the data Service through a load
 * balancer never exposes the admin endpoints. Pure.
 */
public final class ServiceRenderer {
  public static final int ADMIN_PORT = 9090;

  /** Tells the metrics Service from the data Service for a ServiceMonitor's selector. */
  public static final String COMPONENT = "app.kubernetes.io/component";

  private ServiceRenderer() {}

  /** Service {@code NAME}. */
  public static Service data(ThreadPoolProxy tpp) {
    ServiceSpec shape =
        tpp.getSpec() == null || tpp.getSpec().service == null
            ? new ServiceSpec()
            : tpp.getSpec().service;
    List<ServicePort> ports = new ArrayList<>(List.of(port("http", 80)));
    if (tpp.getSpec() != null && HttpsListenerRenderer.enabled(tpp.getSpec())) {
      ports.add(port(HttpsListenerRenderer.NAME, 443));
    }
    Service service =
        new ServiceBuilder()
            .withMetadata(Names.metadata(tpp, Names.workload(tpp)))
            .withNewSpec()
            .withType(shape.type == null ? ServiceSpec.Type.ClusterIP.name() : shape.type.name())
            .withSelector(Names.selectorLabels(tpp))
            .withPorts(ports)
            .withExternalTrafficPolicy(
                shape.externalTrafficPolicy == null ? null : shape.externalTrafficPolicy.name())
            .withLoadBalancerClass(shape.loadBalancerClass)
            .endSpec()
            .build();
    if (shape.annotations != null && !shape.annotations.isEmpty()) {
      service.getMetadata().setAnnotations(new LinkedHashMap<>(shape.annotations));
    }
    return service;
  }

  /** Service {@code NAME-metrics}: headless, the admin port only. */
  public static Service metrics(ThreadPoolProxy tpp) {
    Map<String, String> labels = new LinkedHashMap<>(Names.labels(tpp));
    labels.put(COMPONENT, "metrics");
    return new ServiceBuilder()
        .withMetadata(Names.metadata(tpp, Names.metricsService(tpp)))
        .editMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withClusterIP("None")
        .withSelector(Names.selectorLabels(tpp))
        .withPorts(port("admin", ADMIN_PORT))
        .endSpec()
        .build();
  }

  /**
   * A Service port aimed at the container port of the same name, so a changed port number needs no
   * Service edit.
   */
  private static ServicePort port(String name, int port) {
    return new ServicePortBuilder()
        .withName(name)
        .withPort(port)
        .withTargetPort(new IntOrString(name))
        .withProtocol("TCP")
        .build();
  }
}
