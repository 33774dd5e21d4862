package dev.tpp.operator.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.operator.model.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validator with the proxy's real WAF engine: bad SecLang never reaches a ConfigMap. */
class WafEngineRuleCompilerTest {
  static final String SPEC =
      """
      pools: [{name: waf, threads: 2}]
      waf:
        enabled: true
        pool: waf
        rules: |
          %s
      """;

  @Test
  void acceptsValidRules() throws Exception {
    String rules = "SecRule ARGS \"@rx (?i)union\\\\s+select\" \"id:1001,phase:2,deny,status:403\"";
    var checked =
        new SpecValidator(RuleCompiler.WAF_ENGINE)
            .check(Fixtures.proxy("x", "ns", SPEC.formatted(rules)), Map.of());
    assertEquals(16, checked.hash().length());
  }

  @Test
  void rejectsBrokenRulesNamingTheSource() {
    var e =
        assertThrows(
            InvalidSpecException.class,
            () ->
                new SpecValidator(RuleCompiler.WAF_ENGINE)
                    .check(
                        Fixtures.proxy(
                            "x", "ns", SPEC.formatted("SecRulez ARGS \"@rx a\" \"id:1,deny\"")),
                        Map.of()));
    assertTrue(e.getMessage().startsWith("spec.waf: "), e.getMessage());
    assertTrue(e.getMessage().contains("spec.waf.rules"), e.getMessage());
  }

  @Test
  void rejectsBrokenRulesInARuleConfigMap() {
    String spec =
        "pools: [{name: waf, threads: 2}]\nwaf: {enabled: true, pool: waf, ruleConfigMaps: [site]}\n";
    var e =
        assertThrows(
            InvalidSpecException.class,
            () ->
                new SpecValidator(RuleCompiler.WAF_ENGINE)
                    .check(
                        Fixtures.proxy("x", "ns", spec),
                        Map.of("site", Map.of("a.conf", "SecRule ARGS \"@nope x\" \"id:2\""))));
    assertTrue(e.getMessage().contains("site/a.conf"), e.getMessage());
  }
}
