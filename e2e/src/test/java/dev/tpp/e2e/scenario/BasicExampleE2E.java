package dev.tpp.e2e.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.sun.net.httpserver.HttpServer;
import dev.tpp.e2e.cluster.E2ECluster;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 2: deploy/examples/basic.yaml applied with kubectl becomes running, serving proxy pods.
 */
@ExtendWith(E2ECluster.Extension.class)
@Order(2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BasicExampleE2E {
  private static final String NS = "basic-e2e";
  private HttpServer origin;

  @BeforeAll
  void applyTheExample(E2ECluster cluster) throws Exception {
    cluster.kubectl.kubectl("create", "namespace", NS);
    cluster.kubectl.kubectl("-n", NS, "apply", "-f", "deploy/examples/basic.yaml").ok();
    origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    origin.createContext(
        "/",
        exchange -> {
          byte[] body =
              ("origin saw " + exchange.getRequestURI() + "\n").getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    origin.start();
  }

  @AfterAll
  void stopOrigin() {
    origin.stop(0);
  }

  @Test
  @Order(1)
  void operatorCreatesConfigMapDeploymentServiceAndPdb(E2ECluster cluster) {
    E2ECluster.await(
        Duration.ofSeconds(90),
        "owned objects of basic\n" + cluster.describe(NS),
        () ->
            cluster.client.configMaps().inNamespace(NS).withName("basic-config").get() != null
                && cluster.client.apps().deployments().inNamespace(NS).withName("basic").get()
                    != null
                && cluster.client.services().inNamespace(NS).withName("basic").get() != null
                && cluster
                        .client
                        .policy()
                        .v1()
                        .podDisruptionBudget()
                        .inNamespace(NS)
                        .withName("basic")
                        .get()
                    != null);
  }

  @Test
  @Order(2)
  void bothPodsRunReadyAndServeTheReturnRoute(E2ECluster cluster) {
    Tpp basic = new Tpp(cluster.client, NS, "basic");
    E2ECluster.await(
        Duration.ofSeconds(120),
        "2 ready pods\n" + cluster.describe(NS),
        () -> basic.readyPods().size() == 2);
    for (Pod pod : basic.readyPods()) {
      assertEquals("Running", pod.getStatus().getPhase());
      var reply = E2ECluster.httpGet("http://" + pod.getStatus().getPodIP() + ":8080/hello");
      assertEquals(200, reply.status(), reply.body());
      assertEquals("hello\n", reply.body());
    }
    E2ECluster.await(
        Duration.ofSeconds(60),
        "status.readyReplicas 2",
        () -> Integer.valueOf(2).equals(basic.status().get("readyReplicas")));
  }

  @Test
  @Order(3)
  void trafficReachesALocalOriginThroughAProxyPod(E2ECluster cluster) {
    int port = origin.getAddress().getPort();
    cluster
        .kubectl
        .apply(
            NS,
            """
        apiVersion: tpp.dev/v1alpha1
        kind: ThreadPoolProxy
        metadata: {name: edge}
        spec:
          replicas: 1
          upstreams: [{name: origin, endpoints: ["127.0.0.1:%d"]}]
          routes: [{path: /, upstream: origin}]
        """
                .formatted(port))
        .ok();
    Tpp edge = new Tpp(cluster.client, NS, "edge");
    E2ECluster.await(
        Duration.ofSeconds(120),
        "edge pod ready\n" + cluster.describe(NS),
        () -> edge.readyPods().size() == 1);
    String ip = edge.readyPods().get(0).getStatus().getPodIP();
    var reply = E2ECluster.httpGet("http://" + ip + ":8080/some/path?q=1");
    assertEquals(200, reply.status(), reply.body());
    assertEquals("origin saw /some/path?q=1\n", reply.body());
  }

  @Test
  @Order(4)
  void statusIsReadyWithEveryPodOnTheConfigHash(E2ECluster cluster) {
    Tpp basic = new Tpp(cluster.client, NS, "basic");
    E2ECluster.await(
        Duration.ofSeconds(60),
        "Ready=True, podsOnConfigHash 2/2",
        () ->
            basic.conditionIs("Ready", "True")
                && "2/2".equals(basic.status().get("podsOnConfigHash")));
    Object hash = basic.status().get("configHash");
    assertNotNull(hash);
    for (Pod pod : basic.readyPods()) {
      assertEquals(
          hash,
          HotReloadE2E.hashOf(pod),
          "the hash pod " + pod.getMetadata().getName() + " reports");
    }
  }
}
