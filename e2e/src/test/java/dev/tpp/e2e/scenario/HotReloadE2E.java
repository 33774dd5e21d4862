package dev.tpp.e2e.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.tpp.e2e.cluster.E2ECluster;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 4: a pools/WAF change in the custom resource changes only the ConfigMap; the node agent
 * swaps the volume and the same proxy processes load it — no new ReplicaSet, no new pod, no new
 * PID.
 */
@ExtendWith(E2ECluster.Extension.class)
@Order(4)
class HotReloadE2E {
  private static final String NS = "reload-e2e";

  @Test
  void poolAndWafChangesReloadTheSameProcesses(E2ECluster cluster) {
    cluster.kubectl.kubectl("create", "namespace", NS);
    String rule =
        "SecRule ARGS \\\"@rx (?i)union\\\\s+select\\\" \\\"id:1001,phase:2,deny,status:403\\\"";
    cluster
        .kubectl
        .apply(
            NS,
            InvalidResourcesE2E.tpp("hot", InvalidResourcesE2E.WAF_POOL, rule)
                .replace("replicas: 1", "replicas: 2"))
        .ok();
    Tpp hot = new Tpp(cluster.client, NS, "hot");
    E2ECluster.await(
        Duration.ofSeconds(150),
        "2 ready pods\n" + cluster.describe(NS),
        () -> hot.readyPods().size() == 2);
    Map<String, Long> pids = pids(cluster, hot.readyPods());
    List<String> replicaSets = replicaSets(cluster);
    String before = hot.configMapData();
    Map<String, String> hashes = hashes(hot.readyPods());
    String ip = hot.readyPods().get(0).getStatus().getPodIP();
    assertEquals(200, E2ECluster.httpGet("http://" + ip + ":8080/x?q=drop+table").status());

    String newRule =
        "SecRule ARGS \\\"@rx (?i)drop\\\\s+table\\\" \\\"id:1003,phase:2,deny,status:403\\\"";
    cluster
        .kubectl
        .apply(
            NS,
            InvalidResourcesE2E.tpp(
                    "hot",
                    "pools: [{name: waf, threads: 3, maxQueue: 32, overflow: reject}]",
                    newRule)
                .replace("replicas: 1", "replicas: 2"))
        .ok();

    E2ECluster.await(
        Duration.ofSeconds(60), "ConfigMap changed", () -> !before.equals(hot.configMapData()));
    E2ECluster.await(
        Duration.ofSeconds(60),
        "both pods reloaded",
        () ->
            hot.readyPods().stream()
                .allMatch(p -> !hashOf(p).equals(hashes.get(p.getMetadata().getUid()))));
    E2ECluster.await(
        Duration.ofSeconds(30),
        "new WAF rule enforced",
        () -> E2ECluster.httpGet("http://" + ip + ":8080/x?q=drop+table").status() == 403);
    E2ECluster.await(
        Duration.ofSeconds(60),
        "podsOnConfigHash 2/2 on the new hash",
        () ->
            "2/2".equals(hot.status().get("podsOnConfigHash"))
                && hot.readyPods().stream()
                    .allMatch(p -> hashOf(p).equals(hot.status().get("configHash"))));
    assertEquals(pids, pids(cluster, hot.readyPods()), "same pods, same proxy processes");
    assertEquals(replicaSets, replicaSets(cluster), "no new ReplicaSet");
    assertNotEquals(before, hot.configMapData());
  }

  private static Map<String, Long> pids(E2ECluster cluster, List<Pod> pods) {
    return pods.stream()
        .collect(
            Collectors.toMap(
                p -> p.getMetadata().getUid(), p -> cluster.agent.pidOf(p.getMetadata().getUid())));
  }

  private static Map<String, String> hashes(List<Pod> pods) {
    return pods.stream()
        .collect(Collectors.toMap(p -> p.getMetadata().getUid(), HotReloadE2E::hashOf));
  }

  /** The hash the pod itself reports on its admin port (GET /config). */
  static String hashOf(Pod pod) {
    return E2ECluster.httpGet("http://" + pod.getStatus().getPodIP() + ":9090/config")
        .body()
        .replaceAll("(?s).*\"hash\":\\s*\"([^\"]*)\".*", "$1");
  }

  private static List<String> replicaSets(E2ECluster cluster) {
    return cluster.client.apps().replicaSets().inNamespace(NS).list().getItems().stream()
        .map(rs -> rs.getMetadata().getName())
        .sorted()
        .toList();
  }
}
