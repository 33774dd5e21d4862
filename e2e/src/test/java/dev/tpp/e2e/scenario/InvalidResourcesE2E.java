package dev.tpp.e2e.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.e2e.cluster.E2ECluster;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 3: what the API server refuses (OpenAPI schema, CEL rules) comes back from kubectl apply
 * readably; what only the proxy's own compiler can judge (a WAF rule) is refused by the operator
 * with ConfigValid=False while the pods keep serving the last good config.
 */
@ExtendWith(E2ECluster.Extension.class)
@Order(3)
class InvalidResourcesE2E {
  private static final String NS = "invalid-e2e";
  static final String WAF_POOL = "pools: [{name: waf, threads: 2, maxQueue: 64, overflow: reject}]";

  @Test
  void schemaViolationsNameTheField(E2ECluster cluster) {
    cluster.kubectl.kubectl("create", "namespace", NS);
    var result = cluster.kubectl.apply(NS, tpp("bad-duration", "shutdownTimeout: soon", ""));
    assertNotEquals(0, result.exit());
    assertTrue(result.output().contains("spec.shutdownTimeout"), result.output());
  }

  @Test
  void celRulesAreEnforcedByTheApiServer(E2ECluster cluster) {
    cluster.kubectl.kubectl("create", "namespace", NS);
    var result =
        cluster.kubectl.apply(
            NS,
            """
        apiVersion: tpp.dev/v1alpha1
        kind: ThreadPoolProxy
        metadata: {name: dup-pools}
        spec:
          pools: [{name: waf, threads: 1}, {name: waf, threads: 2}]
          routes: [{path: /, return: {status: 200, body: ok}}]
        """);
    assertNotEquals(0, result.exit());
    assertTrue(result.output().contains("pools[].name must be unique"), result.output());
  }

  @Test
  void uncompilableWafRuleKeepsTheOldConfigServing(E2ECluster cluster) {
    cluster.kubectl.kubectl("create", "namespace", NS);
    String good =
        "SecRule ARGS \\\"@rx (?i)union\\\\s+select\\\" \\\"id:1001,phase:2,deny,status:403\\\"";
    cluster.kubectl.apply(NS, tpp("waf", WAF_POOL, good)).ok();
    Tpp waf = new Tpp(cluster.client, NS, "waf");
    E2ECluster.await(
        Duration.ofSeconds(120),
        "waf pod ready\n" + cluster.describe(NS),
        () -> waf.readyPods().size() == 1);
    String before = waf.configMapData();
    String ip = waf.readyPods().get(0).getStatus().getPodIP();
    assertEquals(403, E2ECluster.httpGet("http://" + ip + ":8080/x?q=union+select").status());

    cluster
        .kubectl
        .apply(NS, tpp("waf", WAF_POOL, "SecRule ARGS \\\"@rx (unclosed\\\" \\\"id:1002,deny\\\""))
        .ok();
    E2ECluster.await(
        Duration.ofSeconds(60), "ConfigValid=False", () -> waf.conditionIs("ConfigValid", "False"));
    String message = String.valueOf(waf.condition("ConfigValid").orElseThrow().get("message"));
    assertTrue(message.contains("spec.waf.rules:1") && message.contains("invalid regex"), message);
    assertEquals(before, waf.configMapData(), "the ConfigMap keeps the last good config");
    assertEquals(403, E2ECluster.httpGet("http://" + ip + ":8080/x?q=union+select").status());
  }

  /**
   * A small one-replica ThreadPoolProxy answering from a return route, optional extra spec line and
   * WAF rules.
   */
  static String tpp(String name, String extra, String rules) {
    String waf =
        rules.isEmpty()
            ? ""
            : "\n  waf: {enabled: true, pool: waf, mode: block, rules: \"" + rules + "\"}";
    return """
        apiVersion: tpp.dev/v1alpha1
        kind: ThreadPoolProxy
        metadata: {name: %s}
        spec:
          replicas: 1
          %s
          routes: [{path: /, return: {status: 200, body: "ok\\n"}}]%s
        """
        .formatted(name, extra, waf);
  }
}
