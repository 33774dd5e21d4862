package dev.tpp.e2e.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.e2e.cluster.E2ECluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 5: mode Operator under real load — CPU-heavy WAF requests overflow a one-thread {@code overflow: inline}
 * pool onto the event loop, the operator scrapes the pods' block-time histograms, scales out through the scale
 * subresource, the new pod takes its share and block p99 falls; with the load stopped it scales back in after the
 * (shortened) stabilization window. Also: the scale subresource drives the pods (what an HPA or KEDA calls), and
 * mode KEDA writes a ScaledObject with a Prometheus trigger against the real KEDA CRD.
 */
@ExtendWith(E2ECluster.Extension.class)
@Order(5)
class AutoscalingE2E {
  private static final String NS = "scale-e2e";
  private static final String BUSY_NS = "autoscale-e2e";
  private static final Duration TARGET = Duration.ofMillis(10);
  private static final Logger LOG = Logger.getLogger("tpp.e2e");

  @Test
  void blockTimeUnderLoadScalesOutThenBackIn(E2ECluster cluster) throws Exception {
    cluster.kubectl.kubectl("create", "namespace", BUSY_NS);
    cluster.kubectl.apply(BUSY_NS, InvalidResourcesE2E.tpp("busy", String.join("\n  ",
        "workers: 1",
        "pools: [{name: waf, threads: 1, maxQueue: 0, overflow: inline}]",
        "autoscaling: {enabled: true, mode: Operator, minReplicas: 1, maxReplicas: 2, targetBlockP99: "
            + TARGET.toMillis() + "ms, interval: 3s, scaleDownStabilization: 20s}"), WafLoad.RULES)).ok();
    Tpp busy = new Tpp(cluster.client, BUSY_NS, "busy");
    E2ECluster.await(Duration.ofSeconds(120), "1 ready pod\n" + cluster.describe(BUSY_NS),
        () -> busy.readyPods().size() == 1);

    // Two clients, one pod: their WAF inspections overlap, the second runs inline and blocks the loop.
    String peak;
    String spread;
    int completed;
    int failed;
    Instant start = Instant.now();
    Duration scaledUpAfter;
    try (WafLoad load = new WafLoad(busy::readyPods, 2, 6_000, Duration.ofMillis(100),
        Instant.now().plus(Duration.ofMinutes(5)))) {
      E2ECluster.await(Duration.ofSeconds(180), "ScaledUp to 2 on block time\n" + busy.status()
          + "\n" + cluster.describe(BUSY_NS), () -> deploymentReplicas(cluster) == 2
              && events(cluster, "busy").stream().anyMatch(e -> e.getReason().equals("ScaledUp")));
      // The operator's own account of the round that scaled: "p99 23ms410us vs target 10ms over 1 pod(s): 1 -> 2".
      String scaledUp = events(cluster, "busy").stream().filter(e -> e.getReason().equals("ScaledUp"))
          .findFirst().orElseThrow().getMessage();
      scaledUpAfter = Duration.between(start, Instant.now());
      peak = scaledUp.replaceAll("^p99 (\\S+) vs .*", "$1");
      assertTrue(millis(peak) > TARGET.toMillis() && scaledUp.endsWith("1 -> 2"), scaledUp);
      E2ECluster.await(Duration.ofSeconds(120), "2 ready pods\n" + cluster.describe(BUSY_NS),
          () -> busy.readyPods().size() == 2);
      // One client per pod: inspections no longer overlap on a pod, nothing runs inline.
      E2ECluster.await(Duration.ofSeconds(120), "block p99 below " + TARGET.toMillis() + "ms on 2 pods (it was "
          + peak + " on one)", () -> blockP99(busy) < TARGET.toMillis());
      spread = String.valueOf(busy.status().get("blockP99"));
      load.stop();
      completed = load.completed();
      failed = load.failed();
      assertTrue(completed > 0 && failed * 10 < completed, completed + " requests answered 200, " + failed + " not");
    }
    Instant stopped = Instant.now();
    E2ECluster.await(Duration.ofSeconds(150), "ScaledDown to 1 after the 20s window\n" + busy.status(),
        () -> deploymentReplicas(cluster) == 1
            && events(cluster, "busy").stream().anyMatch(e -> e.getReason().equals("ScaledDown")));
    E2ECluster.await(Duration.ofSeconds(60), "1 pod left", () -> busy.pods().size() == 1);
    LOG.info("scenario 5: scaled 1 -> 2 " + scaledUpAfter.toSeconds() + "s into the load at block p99 " + peak
        + ", p99 " + spread + " on 2 pods, back to 1 " + Duration.between(stopped, Instant.now()).toSeconds()
        + "s after the load stopped; " + completed + " requests answered 200, " + failed + " not");
  }

  private static int deploymentReplicas(E2ECluster cluster) {
    var deployment = cluster.client.apps().deployments().inNamespace(BUSY_NS).withName("busy").get();
    return deployment == null ? -1 : deployment.getSpec().getReplicas();
  }

  /** The Events the operator posted about ThreadPoolProxy {@code name}. */
  private static List<Event> events(E2ECluster cluster, String name) {
    return cluster.client.v1().events().inNamespace(BUSY_NS).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName())
            && "ThreadPoolProxy".equals(e.getInvolvedObject().getKind()))
        .toList();
  }

  /** {@code status.blockP99} ("12ms345us", "1s200ms", "0s") in milliseconds; +Inf when absent. */
  private static double blockP99(Tpp tpp) {
    Object value = tpp.status().get("blockP99");
    return value == null ? Double.POSITIVE_INFINITY : millis(value.toString());
  }

  private static double millis(String duration) {
    Matcher m = Pattern.compile("(\\d+)(h|ms|us|ns|m|s)").matcher(duration);
    double total = 0;
    boolean any = false;
    while (m.find()) {
      any = true;
      double unit = switch (m.group(2)) {
        case "h" -> 3_600_000;
        case "m" -> 60_000;
        case "s" -> 1_000;
        case "ms" -> 1;
        case "us" -> 0.001;
        default -> 0.000_001;
      };
      total += Long.parseLong(m.group(1)) * unit;
    }
    return any ? total : Double.POSITIVE_INFINITY;
  }

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
