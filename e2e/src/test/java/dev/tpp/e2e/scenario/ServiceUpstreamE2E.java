package dev.tpp.e2e.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.e2e.cluster.E2ECluster;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 12: a ThreadPoolProxy whose upstream is a Service ({@code upstreams: [{service: {name,
 * port}}]}) balances over that Service's ready pods, from the EndpointSlices the real
 * controller-manager writes, through the operator's {@code NAME-endpoints} ConfigMap: keepalive
 * load spreads evenly; pods added by a scale-up get requests within 5 s of turning Ready with the
 * same proxy process and config hash; a pod deleted under load costs no request; a pod that turns
 * unready gets no new requests.
 */
@ExtendWith(E2ECluster.Extension.class)
@Order(9)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceUpstreamE2E {
  private static final String NS = "upstream-e2e";
  private static final Logger LOG = Logger.getLogger("tpp.e2e");
  private Backend backend;
  private Tpp front;

  @BeforeAll
  void deployBackendAndFront(E2ECluster cluster) {
    assertTrue(
        cluster.agent.podIpsServeEndpoints(),
        "pod IPs are 127.0.0.N, which EndpointSlices refuse: the agent"
            + " needs CAP_NET_ADMIN and iproute2 to put pod IPs on device lo (e2e/README.md)");
    cluster.kubectl.kubectl("create", "namespace", NS);
    backend = new Backend(cluster.client, NS, "backend");
    cluster.kubectl.apply(NS, backend.yaml(3)).ok();
    cluster
        .kubectl
        .apply(
            NS,
            """
        apiVersion: tpp.dev/v1alpha1
        kind: ThreadPoolProxy
        metadata: {name: front}
        spec:
          replicas: 1
          workers: 1
          upstreams: [{name: app, service: {name: backend, port: 8080}}]
          routes: [{path: /, upstream: app}]
        """)
        .ok();
    front = new Tpp(cluster.client, NS, "front");
    E2ECluster.await(
        Duration.ofSeconds(180),
        "3 ready backend pods, 1 ready front pod\n" + cluster.describe(NS),
        () -> backend.readyPods().size() == 3 && front.readyPods().size() == 1);
    awaitListed(cluster, 3);
  }

  @AfterAll
  void removeNamespace(E2ECluster cluster) {
    cluster.kubectl.kubectl(
        "delete", "namespace", NS, "--wait=false"); // frees the pods' processes for later scenarios
  }

  @Test
  @Order(1)
  void keepaliveLoadSpreadsEvenlyOverTheReadyPods(E2ECluster cluster) throws Exception {
    List<Pod> pods = backend.readyPods();
    Map<String, Long> before = Backend.served(pods);
    try (KeepaliveLoad load =
        new KeepaliveLoad(
            () -> List.of(frontUrl()),
            "/",
            4,
            3_000,
            Duration.ZERO,
            Instant.now().plus(Duration.ofMinutes(3)))) {
      load.awaitDone(Duration.ofMinutes(3));
      Map<String, Long> share = Backend.delta(before, Backend.served(pods));
      LOG.info("issue 12, spread: " + load.summary() + "; per backend pod " + share);
      assertEquals(0, load.failed(), load.summary());
      assertEquals(3_000, load.answered(), load.summary());
      assertEquals(
          3_000L,
          share.values().stream().mapToLong(Long::longValue).sum(),
          "the pods served " + share);
      long max = Collections.max(share.values());
      long min = Collections.min(share.values());
      assertTrue(min > 0 && max <= 1.2 * min, "max/min over the 3 pods: " + share);
    }
  }

  @Test
  @Order(2)
  void scaledUpPodsGetRequestsWithinFiveSecondsWithoutAReload(E2ECluster cluster) throws Exception {
    Pod proxy = front.readyPods().get(0);
    long pid = cluster.agent.pidOf(proxy.getMetadata().getUid());
    String hash = HotReloadE2E.hashOf(proxy);
    String reloads = reloads(proxy);
    Set<String> old = names(backend.pods());
    Map<String, Instant> readyAt = new HashMap<>();
    Map<String, Instant> servedAt = new HashMap<>();
    try (KeepaliveLoad load = frontLoad(2)) {
      cluster.kubectl.kubectl("-n", NS, "scale", "deployment", "backend", "--replicas=5").ok();
      E2ECluster.await(
          Duration.ofSeconds(180),
          "2 new backend pods Ready and served\n" + cluster.describe(NS),
          () -> {
            for (Pod pod : backend.readyPods()) {
              String name = pod.getMetadata().getName();
              if (!old.contains(name)) {
                readyAt.computeIfAbsent(name, n -> readySince(pod));
                if (!servedAt.containsKey(name) && Backend.served(pod) > 0) {
                  servedAt.put(name, Instant.now());
                }
              }
            }
            return servedAt.size() == 2;
          });
      load.stop();
      Map<String, Duration> delay =
          readyAt.keySet().stream()
              .collect(
                  Collectors.toMap(n -> n, n -> Duration.between(readyAt.get(n), servedAt.get(n))));
      LOG.info(
          "issue 12, scale 3 -> 5: first request " + delay + " after Ready; " + load.summary());
      assertEquals(0, load.failed(), load.summary());
      delay.forEach(
          (n, d) ->
              assertTrue(
                  d.compareTo(Duration.ofSeconds(5)) <= 0,
                  n + " first served " + d + " after it turned Ready"));
    }
    assertEquals(pid, cluster.agent.pidOf(proxy.getMetadata().getUid()), "same proxy process");
    assertEquals(hash, HotReloadE2E.hashOf(proxy), "same config hash");
    assertEquals(reloads, reloads(proxy), "no config reload");
  }

  @Test
  @Order(3)
  void podDeletedUnderLoadCostsNoRequest(E2ECluster cluster) throws Exception {
    awaitListed(cluster, 5);
    Pod victim = backend.readyPods().get(0);
    try (KeepaliveLoad load = frontLoad(4)) {
      E2ECluster.await(Duration.ofSeconds(30), "load flowing", () -> load.answered() > 200);
      cluster
          .kubectl
          .kubectl("-n", NS, "delete", "pod", victim.getMetadata().getName(), "--wait=false")
          .ok();
      E2ECluster.await(
          Duration.ofSeconds(60),
          victim.getMetadata().getName() + " gone, a replacement Ready",
          () ->
              cluster.client.pods().inNamespace(NS).withName(victim.getMetadata().getName()).get()
                      == null
                  && backend.readyPods().size() == 5);
      int answeredAtGone = load.answered();
      E2ECluster.await(
          Duration.ofSeconds(30),
          "more load after the pod is gone",
          () -> load.answered() > answeredAtGone + 200);
      load.stop();
      LOG.info(
          "issue 12, backend pod "
              + victim.getMetadata().getName()
              + " deleted under load: "
              + load.summary());
      assertEquals(0, load.failed(), load.summary());
    }
  }

  @Test
  @Order(4)
  void unreadyPodGetsNoNewRequestsUntilReadyAgain(E2ECluster cluster) throws Exception {
    awaitListed(cluster, 5);
    Pod sick = backend.readyPods().get(0);
    String ip = sick.getStatus().getPodIP();
    Path log =
        cluster.state.resolve(
            "agent/pods/" + front.readyPods().get(0).getMetadata().getUid() + "/proxy.log");
    try (KeepaliveLoad load = frontLoad(2)) {
      E2ECluster.await(Duration.ofSeconds(30), "load flowing", () -> load.answered() > 100);
      long mark = logLength(log); // IPs are reused: only lines logged from now on count
      cluster.agent.failReadiness(sick.getMetadata().getUid(), true);
      // The front proxy applied the smaller set: its own log line is the event to wait for.
      E2ECluster.await(
          Duration.ofSeconds(30),
          "the front proxy drops " + ip + " (" + log + ")",
          () -> logged(log, mark, "removed=[" + ip + ":8080]"));
      long servedWhenRemoved = Backend.served(sick);
      int answeredThen = load.answered();
      E2ECluster.await(
          Duration.ofSeconds(60),
          "1,000 more requests",
          () -> load.answered() > answeredThen + 1_000);
      long servedAfter = Backend.served(sick);
      int others = load.answered() - answeredThen;
      assertEquals(servedWhenRemoved, servedAfter, "requests reached the unready pod");
      // Ready again: back in the set, and it gets its share again.
      long readyMark = logLength(log);
      cluster.agent.failReadiness(sick.getMetadata().getUid(), false);
      E2ECluster.await(
          Duration.ofSeconds(30),
          "the front proxy takes " + ip + " back",
          () -> logged(log, readyMark, "added=[" + ip + ":8080]"));
      E2ECluster.await(
          Duration.ofSeconds(30), ip + " served again", () -> Backend.served(sick) > servedAfter);
      load.stop();
      LOG.info(
          "issue 12, "
              + sick.getMetadata().getName()
              + " unready: served "
              + servedWhenRemoved
              + " then "
              + servedAfter
              + " while "
              + others
              + " more requests went to the others, and more once Ready again; "
              + load.summary());
      assertEquals(0, load.failed(), load.summary());
    } finally {
      cluster.agent.failReadiness(sick.getMetadata().getUid(), false);
    }
  }

  /**
   * Keepalive GETs through the front proxy, 2 ms apart per client, until stopped (at most 100,000,
   * 3 min).
   */
  private KeepaliveLoad frontLoad(int clients) {
    return new KeepaliveLoad(
        () -> List.of(frontUrl()),
        "/",
        clients,
        100_000,
        Duration.ofMillis(2),
        Instant.now().plus(Duration.ofMinutes(3)));
  }

  /** Until front-endpoints lists exactly the {@code n} ready backend pods. */
  private void awaitListed(E2ECluster cluster, int n) {
    E2ECluster.await(
        Duration.ofSeconds(60),
        "front-endpoints lists the " + n + " ready backend pods\n" + cluster.describe(NS),
        () -> listed(cluster).equals(ips(backend.readyPods())) && listed(cluster).size() == n);
  }

  private String frontUrl() {
    List<Pod> pods = front.readyPods();
    return pods.isEmpty()
        ? "http://127.0.0.1:1"
        : "http://" + pods.get(0).getStatus().getPodIP() + ":8080";
  }

  private static String endpointsFile(E2ECluster cluster) {
    var cm = cluster.client.configMaps().inNamespace(NS).withName("front-endpoints").get();
    return cm == null || cm.getData() == null
        ? ""
        : cm.getData().getOrDefault("endpoints.yaml", "");
  }

  /** The pod IPs front-endpoints lists for upstream app. */
  private static Set<String> listed(E2ECluster cluster) {
    return java.util.regex.Pattern.compile("(\\d+\\.\\d+\\.\\d+\\.\\d+):8080")
        .matcher(endpointsFile(cluster))
        .results()
        .map(m -> m.group(1))
        .collect(Collectors.toSet());
  }

  /** Whether {@code log} has {@code text} after its first {@code from} characters. */
  private static boolean logged(Path log, long from, String text) {
    try {
      return Files.readString(log).indexOf(text, (int) from) >= 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static long logLength(Path log) {
    try {
      return Files.readString(log).length();
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  private static Set<String> ips(List<Pod> pods) {
    return pods.stream().map(p -> p.getStatus().getPodIP()).collect(Collectors.toSet());
  }

  private static Set<String> names(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
  }

  /**
   * When the pod's Ready condition last turned True (the agent's report, whole seconds, rounded
   * down).
   */
  private static Instant readySince(Pod pod) {
    return pod.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst()
        .map(c -> Instant.parse(c.getLastTransitionTime()))
        .orElse(Instant.now());
  }

  /** The front proxy's {@code tpp_config_reloads_total} lines. */
  private static String reloads(Pod pod) {
    String metrics =
        E2ECluster.httpGet("http://" + pod.getStatus().getPodIP() + ":9090/metrics").body();
    return metrics
        .lines()
        .filter(l -> l.startsWith("tpp_config_reloads_total"))
        .collect(Collectors.joining("\n"));
  }
}
