package dev.tpp.e2e.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tpp.e2e.cluster.E2ECluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 5, the parts that need no load: the scale subresource drives the pods (what an HPA or KEDA calls), and
 * mode KEDA writes a ScaledObject with a Prometheus trigger against the real KEDA CRD. The Operator-mode loop
 * (scrape block p99 under load, scale out) is left for the next session.
 */
@ExtendWith(E2ECluster.Extension.class)
@Order(5)
class AutoscalingE2E {
  private static final String NS = "scale-e2e";

  @Test
  void scaleSubresourceScalesThePods(E2ECluster cluster) {
    cluster.kubectl.kubectl("create", "namespace", NS);
    cluster.kubectl.apply(NS, InvalidResourcesE2E.tpp("elastic", "", "")).ok();
    Tpp elastic = new Tpp(cluster.client, NS, "elastic");
    E2ECluster.await(Duration.ofSeconds(120), "1 ready pod\n" + cluster.describe(NS),
        () -> elastic.readyPods().size() == 1);
    cluster.kubectl.kubectl("-n", NS, "scale", "threadpoolproxy", "elastic", "--replicas=3").ok();
    E2ECluster.await(Duration.ofSeconds(120), "3 ready pods\n" + cluster.describe(NS),
        () -> elastic.readyPods().size() == 3);
    E2ECluster.await(Duration.ofSeconds(60), "status.replicas 3", () ->
        Integer.valueOf(3).equals(elastic.status().get("readyReplicas")));
  }

  @Test
  @SuppressWarnings("unchecked")
  void kedaModeWritesAScaledObjectWithAPrometheusTrigger(E2ECluster cluster) {
    cluster.kubectl.kubectl("create", "namespace", NS);
    cluster.kubectl.apply(NS, InvalidResourcesE2E.tpp("keda", """
        autoscaling: {enabled: true, mode: KEDA, minReplicas: 1, maxReplicas: 4, targetBlockP99: 20ms}""", ""))
        .ok();
    E2ECluster.await(Duration.ofSeconds(60), "ScaledObject keda\n" + cluster.describe(NS), () ->
        scaledObject(cluster) != null);
    Map<String, Object> spec = (Map<String, Object>) scaledObject(cluster).getAdditionalProperties().get("spec");
    assertEquals("keda", ((Map<String, Object>) spec.get("scaleTargetRef")).get("name"));
    assertEquals("prometheus", ((List<Map<String, Object>>) spec.get("triggers")).get(0).get("type"));
  }

  private static GenericKubernetesResource scaledObject(E2ECluster cluster) {
    return cluster.client.genericKubernetesResources("keda.sh/v1alpha1", "ScaledObject").inNamespace(NS)
        .withName("keda").get();
  }
}
