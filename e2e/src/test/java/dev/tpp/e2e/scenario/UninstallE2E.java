package dev.tpp.e2e.scenario;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.tpp.e2e.cluster.E2ECluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 6, second half: {@code helm uninstall} removes what the chart installed and keeps the
 * CRD (crds.keep).
 */
@ExtendWith(E2ECluster.Extension.class)
// Last: every scenario before it needs the chart's CRD, RBAC and operator.
@Order(99)
class UninstallE2E {
  @Test
  void uninstallRemovesTheReleaseAndKeepsTheCrd(E2ECluster cluster) {
    cluster
        .kubectl
        .run(
            List.of(
                cluster.helm,
                "--kubeconfig",
                cluster.state.resolve("kubeconfig").toString(),
                "uninstall",
                "tpp-operator",
                "-n",
                E2ECluster.OPERATOR_NAMESPACE))
        .ok();
    E2ECluster.await(
        Duration.ofSeconds(30),
        "ServiceAccount removed",
        () ->
            cluster
                    .client
                    .serviceAccounts()
                    .inNamespace("tpp-system")
                    .withName("tpp-operator")
                    .get()
                == null);
    assertNotNull(
        cluster
            .client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("threadpoolproxies.tpp.dev")
            .get(),
        "helm.sh/resource-policy: keep");
  }
}
