package dev.tpp.operator.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.ConfigHash;
import dev.tpp.config.ConfigLoader;
import dev.tpp.operator.model.Fixtures;
import dev.tpp.operator.model.TlsSecretData;
import dev.tpp.waf.engine.WafCompileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecValidatorTest {
  static final RuleCompiler ACCEPT_ALL = sources -> {};

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      negative maxQueue     | pools: [{name: a, threads: 1, maxQueue: -1}]                    | spec.pools[0].maxQueue
      too many threads      | pools: [{name: a, threads: 5000}]                               | spec.pools[0].threads
      unknown pool in route | routes: [{path: /, files: {root: /srv, pool: nope}}]            | spec.routes[0].files.pool
      unknown upstream      | routes: [{path: /, upstream: nope}]                             | spec.routes[0].upstream
      bad duration          | shutdownTimeout: soon                                           | spec.shutdownTimeout
      min above max         | 'autoscaling: {enabled: true, minReplicas: 5, maxReplicas: 2}'  | spec.autoscaling.minReplicas
      zero interval         | 'autoscaling: {enabled: true, interval: 0s}'                    | spec.autoscaling.interval
      hash without hashOn   | 'upstreams: [{name: a, endpoints: [h:1], loadBalancing: hash}]'  | spec.upstreams[0].hashOn
      half-second resolve   | 'upstreams: [{name: a, endpoints: [h:1], resolveEvery: 500ms}]'  | spec.upstreams[0].resolveEvery
      """)
  void namesTheFieldOfEachError(String what, String spec, String field) {
    var e =
        assertThrows(
            InvalidSpecException.class,
            () -> new SpecValidator(ACCEPT_ALL).check(Fixtures.proxy("x", "ns", spec), Map.of()));
    assertTrue(
        e.errors().stream().anyMatch(m -> m.startsWith(field + ":")), what + ": " + e.errors());
  }

  @Test
  void passesBalancingFieldsToTheProxyUnderTheirOwnNames() throws Exception {
    String spec =
        """
        upstreams: [{name: app, service: {name: backend, port: 8080}, loadBalancing: hash, hashOn: {cookie: sid},
                     resolveEvery: 10s, outlierDetection: {consecutiveErrors: 3, baseEjectionTime: 5s}}]
        routes: [{path: /, upstream: app}]
        """;
    CheckedConfig checked =
        new SpecValidator(ACCEPT_ALL).check(Fixtures.proxy("x", "ns", spec), Map.of());
    var upstream = ConfigLoader.parse(checked.yaml(), Path.of("/etc/tpp")).upstreams().get(0);
    assertEquals("hash", upstream.loadBalancing().yamlName());
    assertEquals("sid", upstream.hashOn().cookie());
    assertEquals(java.time.Duration.ofSeconds(10), upstream.resolveEvery());
    assertEquals(3, upstream.outlierDetection().consecutiveErrors());
    assertEquals(
        50,
        upstream.outlierDetection().maxEjectionPercent(),
        "the proxy's default for what is left out");
  }

  @Test
  void hashIsTheProxysHashOfTheRenderedConfig() throws Exception {
    var tpp =
        Fixtures.proxy(
            "x",
            "ns",
            "pools: [{name: a, threads: 2}]\nroutes: [{path: /, return: {status: 200}}]");
    CheckedConfig checked = new SpecValidator(ACCEPT_ALL).check(tpp, Map.of());
    assertEquals(
        ConfigHash.of(ConfigLoader.parse(checked.yaml(), Path.of("/etc/tpp"))), checked.hash());
  }

  @Test
  void podSideFilesAreLeftToThePodButStillHashed() throws Exception {
    String spec =
        """
        pools: [{name: waf, threads: 2}]
        waf: {enabled: true, pool: waf, rules: '', crs: {enabled: true, path: /nonexistent/crs},
              ruleFiles: [/nonexistent/site.conf]}
        """;
    CheckedConfig checked =
        new SpecValidator(ACCEPT_ALL).check(Fixtures.proxy("x", "ns", spec), Map.of());
    assertTrue(checked.yaml().contains("/nonexistent/crs"));
    assertEquals(16, checked.hash().length());
  }

  @Test
  void compilesInlineRulesThenConfigMapRulesInOrder() throws Exception {
    List<String> seen = new ArrayList<>();
    RuleCompiler recorder = sources -> sources.forEach(s -> seen.add(s.name()));
    String spec =
        """
        pools: [{name: waf, threads: 2}]
        waf: {enabled: true, pool: waf, rules: 'SecRule ARGS "@rx a" "id:1,deny"', ruleConfigMaps: [site]}
        """;
    Map<String, Map<String, String>> cms =
        Map.of("site", Map.of("b.conf", "r", "a.conf", "r", "README", "x"));
    new SpecValidator(recorder).check(Fixtures.proxy("x", "ns", spec), cms);
    assertEquals(List.of("spec.waf.rules", "site/a.conf", "site/b.conf"), seen);
  }

  @Test
  void ruleCompileErrorsAndMissingConfigMapsAreInvalid() {
    String spec =
        """
        pools: [{name: waf, threads: 2}]
        waf: {enabled: true, pool: waf, rules: 'oops', ruleConfigMaps: [gone]}
        """;
    RuleCompiler failing =
        sources -> {
          throw new WafCompileException("spec.waf.rules line 1: unknown directive oops");
        };
    Map<String, Map<String, String>> missing = new HashMap<>();
    missing.put("gone", null);
    var e =
        assertThrows(
            InvalidSpecException.class,
            () -> new SpecValidator(failing).check(Fixtures.proxy("x", "ns", spec), missing));
    assertEquals(List.of("spec.waf.ruleConfigMaps[0]: ConfigMap gone not found"), e.errors());
    var compile =
        assertThrows(
            InvalidSpecException.class,
            () ->
                new SpecValidator(failing)
                    .check(Fixtures.proxy("x", "ns", spec), Map.of("gone", Map.of())));
    assertTrue(compile.getMessage().contains("unknown directive oops"));
  }

  @Test
  void tlsSecretsMustExistAndHoldAPairThatCoversTheHosts() {
    String spec =
        """
        tls:
          - {secretName: gone}
          - {secretName: empty}
          - {secretName: half}
          - {secretName: other-host, hosts: [www.example.com]}
          - {secretName: garbage}
        """;
    Map<String, String> pair = TlsSecretData.pem("other.example.com");
    Map<String, Map<String, String>> secrets = new HashMap<>();
    secrets.put("gone", null);
    secrets.put("empty", Map.of());
    secrets.put("half", Map.of("tls.crt", pair.get("tls.crt")));
    secrets.put("other-host", pair);
    secrets.put("garbage", Map.of("tls.crt", "not a certificate", "tls.key", pair.get("tls.key")));
    var e =
        assertThrows(
            InvalidSpecException.class,
            () ->
                new SpecValidator(ACCEPT_ALL)
                    .check(Fixtures.proxy("x", "ns", spec), Map.of(), secrets));
    assertEquals(
        List.of(
            "spec.tls[0].secretName: Secret gone not found",
            "spec.tls[1].secretName: Secret empty has no tls.crt and no tls.key (expected: a kubernetes.io/tls Secret"
                + " with tls.crt and tls.key)",
            "spec.tls[2].secretName: Secret half has no tls.key (expected: a kubernetes.io/tls Secret with tls.crt and"
                + " tls.key)",
            "spec.tls[3].secretName: Secret other-host: tls.crt: certificate does not cover server name"
                + " \"www.example.com\" (it has [other.example.com])",
            "spec.tls[4].secretName: Secret garbage: tls.crt: no PEM certificate found (expected: BEGIN CERTIFICATE)"),
        e.errors());
  }

  @Test
  void aPortClashWithTheHttpsListenerNamesSpecTls() {
    var e =
        assertThrows(
            InvalidSpecException.class,
            () ->
                new SpecValidator(ACCEPT_ALL)
                    .check(
                        Fixtures.proxy(
                            "x", "ns", "listen: {port: 8443}\ntls: [{secretName: site}]"),
                        Map.of(),
                        Map.of("site", TlsSecretData.pem("www.example.com"))));
    assertEquals(
        List.of(
            "spec.tls (rendered as listener https, port 8443): listeners[0].port: 8443 (expected: a"
                + " port no other listener or admin uses)"),
        e.errors());
  }

  @Test
  void aGoodTlsSecretPassesAndItsContentIsNotInTheConfigOrHash() throws Exception {
    String spec = "tls: [{secretName: site, hosts: [www.example.com]}]";
    var tpp = Fixtures.proxy("x", "ns", spec);
    CheckedConfig first =
        new SpecValidator(ACCEPT_ALL)
            .check(tpp, Map.of(), Map.of("site", TlsSecretData.pem("www.example.com")));
    CheckedConfig renewed =
        new SpecValidator(ACCEPT_ALL)
            .check(
                tpp, Map.of(), Map.of("site", TlsSecretData.pem("www.example.com", "example.com")));
    assertEquals(first, renewed);
    assertTrue(first.yaml().contains("certFile: /etc/tpp/tls/site/tls.crt"), first.yaml());
  }
}
