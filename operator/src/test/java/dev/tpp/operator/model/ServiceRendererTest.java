package dev.tpp.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServiceRendererTest {
  static Service data(String spec) {
    return ServiceRenderer.data(Fixtures.proxy("web", "shop", spec));
  }

  static List<String> ports(Service service) {
    return service.getSpec().getPorts().stream().map(p -> p.getName() + ":" + p.getPort()).toList();
  }

  /** spec.service, as written -> type, externalTrafficPolicy, loadBalancerClass of Service NAME. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
      ''                                                                  | ClusterIP    | -       | -
      'service: {type: NodePort}'                                         | NodePort     | -       | -
      'service: {type: LoadBalancer, externalTrafficPolicy: Local}'       | LoadBalancer | Local   | -
      'service: {type: LoadBalancer, loadBalancerClass: example.com/lb}'  | LoadBalancer | -       | example.com/lb
      """)
  void dataServiceFollowsSpecService(String spec, String type, String policy, String lbClass) {
    var service = data(spec).getSpec();
    assertEquals(type, service.getType());
    assertEquals(policy, service.getExternalTrafficPolicy());
    assertEquals(lbClass, service.getLoadBalancerClass());
  }

  @Test
  void dataServiceCarriesAnnotationsAndNoAdminPort() {
    var service =
        data(
            """
        service: {type: LoadBalancer, annotations: {service.beta.kubernetes.io/aws-load-balancer-type: nlb}}
        tls: [{secretName: site}]
        """);
    assertEquals(
        Map.of("service.beta.kubernetes.io/aws-load-balancer-type", "nlb"),
        service.getMetadata().getAnnotations());
    assertEquals(List.of("http:80", "https:443"), ports(service));
    var none = data("").getMetadata().getAnnotations();
    assertTrue(none == null || none.isEmpty(), String.valueOf(none));
  }

  @Test
  void metricsServiceIsHeadlessWithTheAdminPortOnly() {
    var tpp = Fixtures.proxy("web", "shop", "service: {type: LoadBalancer}\nadmin: {port: 9191}\n");
    var metrics = ServiceRenderer.metrics(tpp);
    assertEquals("web-metrics", metrics.getMetadata().getName());
    assertEquals("None", metrics.getSpec().getClusterIP());
    assertNull(metrics.getSpec().getType(), "never a load balancer, whatever spec.service says");
    assertEquals(List.of("admin:9090"), ports(metrics));
    assertEquals(
        "admin",
        metrics.getSpec().getPorts().get(0).getTargetPort().getStrVal(),
        "follows admin.port");
    assertEquals("metrics", metrics.getMetadata().getLabels().get("app.kubernetes.io/component"));
    assertEquals(Names.selectorLabels(tpp), metrics.getSpec().getSelector());
  }
}
