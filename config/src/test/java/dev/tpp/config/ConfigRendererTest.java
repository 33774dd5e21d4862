package dev.tpp.config;

import static dev.tpp.config.LoadResults.fixture;
import static dev.tpp.config.LoadResults.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfigRendererTest {

  @Test
  void roundTripsTheContractExample() {
    ProxyConfig c = parse(fixture("contract-example.yaml"));
    assertEquals(c, parse(ConfigRenderer.toYaml(c)));
  }

  @Test
  void roundTripsTheDefaults() {
    ProxyConfig c = parse("");
    assertEquals(c, parse(ConfigRenderer.toYaml(c)));
  }

  @Test
  void roundTripsAwkwardStrings() {
    ProxyConfig c =
        parse(
            "routes:\n"
                + "  - {name: 'yes', path: '/a: b', host: example.com, waf: false, return: {status: 418, body: \"  x\\n\\ty \\n\"}}\n"
                + "  - {path: /n, return: {status: 200, body: '123'}}\n"
                + "waf: {rules: \"SecRule ARGS \\\"@rx a\\\" \\\"id:1\\\"\\n# trailing space \\n\\n\"}\n");
    assertEquals(c, parse(ConfigRenderer.toYaml(c)));
  }

  @Test
  void roundTripsEveryBalancingField() {
    ProxyConfig c =
        parse(
            "upstreams: [{name: a, endpoints: ['h:1'], loadBalancing: hash, hashOn: {header: X-User},"
                + " resolveEvery: 0s, outlierDetection: {consecutiveErrors: 2, baseEjectionTime: 1s, maxEjectionPercent: 100}},"
                + " {name: b, endpoints: ['h:2'], loadBalancing: leastRequest, resolveEvery: 5m}]");
    String yaml = ConfigRenderer.toYaml(c);
    assertEquals(c, parse(yaml));
    assertTrue(yaml.contains("  loadBalancing: leastRequest\n  resolveEvery: 5m\n"), yaml);
  }

  @Test
  void rendersEveryFieldCanonically() {
    String yaml = ConfigRenderer.toYaml(parse(fixture("contract-example.yaml")));
    assertEquals(fixture("contract-example.rendered.yaml"), yaml);
  }

  @Test
  void rendersMultiLineRulesAsALiteralBlock() {
    String yaml =
        ConfigRenderer.toYaml(
            parse(
                "waf: {rules: \"SecRuleEngine On\\nSecRule ARGS \\\"@rx x\\\" \\\"id:1\\\"\\n\"}"));
    assertTrue(
        yaml.contains("  rules: |\n    SecRuleEngine On\n    SecRule ARGS \"@rx x\" \"id:1\"\n"),
        yaml);
  }
}
