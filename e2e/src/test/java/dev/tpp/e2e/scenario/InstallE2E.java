package dev.tpp.e2e.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.e2e.cluster.E2ECluster;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 1: the operator installed as a user would, then running under its ServiceAccount's RBAC. Until the Helm
 * chart exists the install is the CRD plus operator/deploy/operator.yaml's RBAC (see e2e/README.md).
 */
@ExtendWith(E2ECluster.Extension.class)
class InstallE2E {
  private static final String SA = "system:serviceaccount:tpp-system:tpp-operator";

  @Test
  void crdIsEstablishedWithStatusAndScale(E2ECluster cluster) {
    CustomResourceDefinition crd = cluster.client.apiextensions().v1().customResourceDefinitions()
        .withName("threadpoolproxies.tpp.dev").get();
    assertTrue(crd.getStatus().getConditions().stream()
        .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True")));
    var subresources = crd.getSpec().getVersions().get(0).getSubresources();
    assertNotNull(subresources.getStatus());
    assertEquals(".spec.replicas", subresources.getScale().getSpecReplicasPath());
  }

  @Test
  void operatorRunsAsItsServiceAccountAndHoldsTheLeaderLease(E2ECluster cluster) {
    assertTrue(cluster.operatorHealthy());
    E2ECluster.await(Duration.ofSeconds(60), "Lease tpp-system/tpp-operator", () ->
        cluster.client.resources(Lease.class).inNamespace("tpp-system").withName("tpp-operator").get() != null);
  }

  @Test
  void rbacGrantsWhatTheOperatorNeedsAndNothingMore(E2ECluster cluster) {
    assertEquals("yes", canI(cluster, "create", "deployments.apps"));
    assertEquals("yes", canI(cluster, "patch", "threadpoolproxies.tpp.dev", "--subresource", "status"));
    assertEquals("no", canI(cluster, "get", "secrets"));
    assertEquals("no", canI(cluster, "delete", "threadpoolproxies.tpp.dev"));
  }

  private static String canI(E2ECluster cluster, String verb, String resource, String... more) {
    var args = new java.util.ArrayList<>(java.util.List.of("auth", "can-i", verb, resource, "--as", SA, "-A"));
    args.addAll(java.util.List.of(more));
    return cluster.kubectl.kubectl(args.toArray(String[]::new)).output().trim();
  }
}
