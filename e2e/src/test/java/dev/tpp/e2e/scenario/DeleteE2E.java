package dev.tpp.e2e.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tpp.e2e.cluster.E2ECluster;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 6: deleting the custom resource leaves the rest to the real controller-manager's garbage
 * collector (owner references), down to the pods, whose processes the node agent stops.
 */
@ExtendWith(E2ECluster.Extension.class)
@Order(6)
class DeleteE2E {
  private static final String NS = "delete-e2e";

  @Test
  void deletingTheResourceGarbageCollectsEverythingItOwned(E2ECluster cluster) {
    cluster.kubectl.kubectl("create", "namespace", NS);
    cluster
        .kubectl
        .apply(NS, InvalidResourcesE2E.tpp("gone", "", "").replace("replicas: 1", "replicas: 2"))
        .ok();
    Tpp gone = new Tpp(cluster.client, NS, "gone");
    E2ECluster.await(
        Duration.ofSeconds(150),
        "2 ready pods\n" + cluster.describe(NS),
        () -> gone.readyPods().size() == 2);
    String uid = gone.readyPods().get(0).getMetadata().getUid();

    cluster.kubectl.kubectl("-n", NS, "delete", "threadpoolproxy", "gone", "--wait=true").ok();
    E2ECluster.await(
        Duration.ofSeconds(120),
        "owned objects collected\n" + cluster.describe(NS),
        () ->
            cluster.client.configMaps().inNamespace(NS).withName("gone-config").get() == null
                && cluster.client.apps().deployments().inNamespace(NS).withName("gone").get()
                    == null
                && cluster.client.services().inNamespace(NS).withName("gone").get() == null
                && cluster
                        .client
                        .policy()
                        .v1()
                        .podDisruptionBudget()
                        .inNamespace(NS)
                        .withName("gone")
                        .get()
                    == null
                && gone.pods().isEmpty());
    E2ECluster.await(
        Duration.ofSeconds(30), "proxy process stopped", () -> cluster.agent.pidOf(uid) == -1);
    assertEquals(0, gone.pods().size());
  }
}
