package dev.tpp.e2e.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tpp.e2e.cluster.E2ECluster;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 7: a restarted operator finds its objects as it left them and rewrites nothing: same
 * ConfigMap and Deployment versions, same ReplicaSet, same pods and proxy processes, status still
 * observed and valid.
 */
@ExtendWith(E2ECluster.Extension.class)
@Order(7)
class OperatorRestartE2E {
  private static final String NS = "restart-e2e";

  @Test
  void restartChangesNothingOwned(E2ECluster cluster) throws Exception {
    cluster.kubectl.kubectl("create", "namespace", NS);
    cluster.kubectl.apply(NS, InvalidResourcesE2E.tpp("steady", "", "")).ok();
    Tpp steady = new Tpp(cluster.client, NS, "steady");
    E2ECluster.await(
        Duration.ofSeconds(120),
        "steady pod ready\n" + cluster.describe(NS),
        () -> steady.readyPods().size() == 1 && steady.conditionIs("ConfigValid", "True"));
    List<String> before = snapshot(cluster, steady);

    cluster.restartOperator();
    E2ECluster.await(
        Duration.ofSeconds(60),
        "status observed again after restart",
        () -> steady.conditionIs("ConfigValid", "True") && steady.readyPods().size() == 1);
    // Give the new leader a few reconciles' time to (wrongly) rewrite something before comparing.
    Thread.sleep(5_000);
    assertEquals(before, snapshot(cluster, steady));
  }

  private static List<String> snapshot(E2ECluster cluster, Tpp tpp) {
    Pod pod = tpp.readyPods().get(0);
    return List.of(
        "configmap rv "
            + cluster
                .client
                .configMaps()
                .inNamespace(NS)
                .withName("steady-config")
                .get()
                .getMetadata()
                .getResourceVersion(),
        "deployment generation "
            + cluster
                .client
                .apps()
                .deployments()
                .inNamespace(NS)
                .withName("steady")
                .get()
                .getMetadata()
                .getGeneration(),
        "replicasets "
            + cluster.client.apps().replicaSets().inNamespace(NS).list().getItems().size(),
        "pod "
            + pod.getMetadata().getName()
            + " pid "
            + cluster.agent.pidOf(pod.getMetadata().getUid()));
  }
}
