package dev.tpp.e2e.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.e2e.cluster.E2ECluster;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 1: {@code helm install} of the chart, then the operator running under its
 * ServiceAccount's RBAC (as a local process with that ServiceAccount's token; the chart's
 * Deployment is scaled to zero).
 */
@ExtendWith(E2ECluster.Extension.class)
@Order(1)
class InstallE2E {
  @Test
  void crdIsEstablishedWithStatusAndScale(E2ECluster cluster) {
    CustomResourceDefinition crd =
        cluster
            .client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("threadpoolproxies.tpp.dev")
            .get();
    assertTrue(
        crd.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True")));
    var subresources = crd.getSpec().getVersions().get(0).getSubresources();
    assertNotNull(subresources.getStatus());
    assertEquals(".spec.replicas", subresources.getScale().getSpecReplicasPath());
  }

  @Test
  void operatorRunsAsItsServiceAccountAndHoldsTheLeaderLease(E2ECluster cluster) {
    assertTrue(cluster.operatorHealthy());
    E2ECluster.await(
        Duration.ofSeconds(60),
        "Lease tpp-system/tpp-operator",
        () ->
            cluster
                    .client
                    .resources(Lease.class)
                    .inNamespace("tpp-system")
                    .withName("tpp-operator")
                    .get()
                != null);
  }

  @Test
  void helmInstallsTheChart(E2ECluster cluster) {
    assertEquals(0, cluster.helmInstall.exit(), cluster.helmInstall.output());
    assertNotNull(
        cluster.client.serviceAccounts().inNamespace("tpp-system").withName("tpp-operator").get());
  }

  @Test
  void rbacGrantsWhatTheOperatorNeedsAndNothingMore(E2ECluster cluster) {
    assertTrue(cluster.canI("create", "deployments.apps", "-n", "default"));
    assertTrue(
        cluster.canI(
            "patch", "threadpoolproxies.tpp.dev", "--subresource", "status", "-n", "default"));
    // spec.tls: the operator reads Secrets to check their certificate pair and watches
    // kubernetes.io/tls ones
    assertTrue(cluster.canI("watch", "secrets", "-n", "default"));
    assertFalse(cluster.canI("create", "secrets", "-n", "default"));
    assertFalse(cluster.canI("update", "secrets", "-n", "default"));
    assertFalse(cluster.canI("delete", "threadpoolproxies.tpp.dev", "-n", "default"));
  }

  @Test
  void leaderElectionRenewsItsLeaseWithTheChartsRbacAlone(E2ECluster cluster) {
    assertTrue(cluster.chartGrantsLeasePatch, "JOSDK's LeaderElector PATCHes Lease tpp-operator");
    var leases =
        cluster.client.resources(Lease.class).inNamespace("tpp-system").withName("tpp-operator");
    E2ECluster.await(
        Duration.ofSeconds(60),
        "Lease tpp-operator held",
        () -> leases.get() != null && leases.get().getSpec().getRenewTime() != null);
    var first = leases.get().getSpec().getRenewTime();
    E2ECluster.await(
        Duration.ofSeconds(60),
        "Lease tpp-operator renewed after " + first,
        () -> !first.equals(leases.get().getSpec().getRenewTime()));
    assertTrue(cluster.operatorHealthy(), "the operator still runs: it never lost the Lease");
  }
}
