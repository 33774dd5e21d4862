package dev.tpp.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.ConfigLoader;
import dev.tpp.config.PoolConfig;
import dev.tpp.config.ProxyConfig;
import dev.tpp.crds.ThreadPoolProxy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyYamlRendererTest {
  static ThreadPoolProxy parse(String specYaml) {
    return Fixtures.proxy("web", "shop", specYaml);
  }

  @Test
  void resolvesServiceToClusterDns() throws Exception {
    ThreadPoolProxy tpp =
        parse(
            """
        upstreams:
          - {name: api, service: {name: backend, port: 8080}}
        routes:
          - {path: /, upstream: api}
        """);
    ProxyConfig config = ConfigLoader.parse(ProxyYamlRenderer.render(tpp), Path.of("/etc/tpp"));
    assertEquals(
        "backend.shop.svc.cluster.local:8080",
        config.upstream("api").endpoints().get(0).toString());
  }

  @Test
  void dropsKubernetesOnlyFields() {
    String yaml =
        ProxyYamlRenderer.render(
            parse(
                """
        replicas: 3
        image: x:1
        resources: {requests: {cpu: 100m}}
        autoscaling: {enabled: true}
        pod: {labels: {team: shop}, preStopDelay: 10s}
        service: {type: LoadBalancer, annotations: {a: b}}
        podDisruptionBudget: {minAvailable: 1}
        workers: 4
        """));
    for (String field :
        List.of(
            "replicas",
            "image",
            "resources",
            "autoscaling",
            "pod",
            "service",
            "podDisruptionBudget",
            "preStopDelay",
            "LoadBalancer",
            "minAvailable")) {
      assertFalse(yaml.contains(field + ":"), field + " leaked into proxy.yaml:\n" + yaml);
    }
    assertTrue(yaml.contains("workers: 4"));
  }

  @Test
  void podServiceAndBudgetNeverChangeTheConfigHash() throws Exception {
    String base = "pools: [{name: a, threads: 2}]\nroutes: [{path: /, return: {status: 204}}]\n";
    var validator = new dev.tpp.operator.validation.SpecValidator(sources -> {});
    String hash = validator.check(parse(base), java.util.Map.of()).hash();
    for (String change :
        List.of(
            "pod: {nodeSelector: {a: b}, tolerations: [{key: k, operator: Exists}], preStopDelay: 20s}",
            "service: {type: NodePort, externalTrafficPolicy: Local}",
            "podDisruptionBudget: {maxUnavailable: 50%}")) {
      assertEquals(
          hash, validator.check(parse(base + change + "\n"), java.util.Map.of()).hash(), change);
    }
  }

  @Test
  void ruleConfigMapsBecomeGlobsAfterRuleFiles() {
    ThreadPoolProxy tpp =
        parse(
            """
        waf: {ruleFiles: [/opt/rules/a.conf], ruleConfigMaps: [site, extra]}
        """);
    assertEquals(
        List.of("/opt/rules/a.conf", "/etc/tpp-rules/site/*.conf", "/etc/tpp-rules/extra/*.conf"),
        ProxyYamlRenderer.ruleFiles(tpp.getSpec()));
    assertFalse(ProxyYamlRenderer.render(tpp).contains("ruleConfigMaps"));
  }

  @Test
  void sameSpecRendersSameBytes() {
    String spec = "pools: [{name: a, threads: 2}]\nroutes: [{path: /, return: {status: 204}}]\n";
    assertEquals(ProxyYamlRenderer.render(parse(spec)), ProxyYamlRenderer.render(parse(spec)));
  }

  @Test
  void returnRouteKeepsItsYamlName() throws Exception {
    String yaml =
        ProxyYamlRenderer.render(parse("routes: [{path: /hi, return: {status: 200, body: hi}}]\n"));
    ProxyConfig config = ConfigLoader.parse(yaml, Path.of("/etc/tpp"));
    assertEquals("/hi", config.routes().get(0).path());
  }

  @Test
  void poolPriorityReachesTheProxyAndItsDefaultIsLeftOut() throws Exception {
    ThreadPoolProxy tpp =
        parse(
            """
        pools: [{name: thumbs, threads: 2, priority: normal}, {name: files, threads: 2}]
        routes:
          - {path: /t/, thumbnail: {root: /srv, width: 300, height: 200, pool: thumbs}}
          - {path: /f/, files: {root: /srv, pool: files}}
        """);
    ProxyConfig config = ConfigLoader.parse(ProxyYamlRenderer.render(tpp), Path.of("/etc/tpp"));
    assertEquals(
        PoolConfig.Priority.NORMAL,
        config.pool("thumbs").priority(),
        "written: normal over the default low");
    assertEquals(PoolConfig.Priority.NORMAL, config.pool("files").priority());
    assertFalse(
        ProxyYamlRenderer.render(parse("pools: [{name: a, threads: 2}]\n")).contains("priority"),
        "an unwritten priority stays unwritten: existing config hashes do not change");
  }
}
