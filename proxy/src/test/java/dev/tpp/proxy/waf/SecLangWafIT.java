package dev.tpp.proxy.waf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.testing.TestProxy;
import dev.tpp.waf.engine.WafCompileException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The real SecLang engine inside the real proxy: inline rules, and OWASP CRS at paranoia level 1.
 */
class SecLangWafIT {
  static final Path CRS = Path.of("..", "..", "shared", "crs-3.3.4").toAbsolutePath().normalize();

  static boolean crsPresent() {
    return Files.isDirectory(CRS.resolve("rules"));
  }

  /**
   * A proxy whose one route answers 200 "ok", behind the WAF with these SecLang lines in a 2-thread
   * pool.
   */
  static TestProxy withRules(String... rules) throws Exception {
    return TestProxy.start(
        """
        pools: [{name: waf, threads: 2, maxQueue: 16, overflow: reject}]
        waf:
          enabled: true
          pool: waf
          rules: |
        %s
        routes: [{path: /, return: {status: 200, body: "ok\\n"}}]
        """
            .formatted(String.join("\n", Arrays.stream(rules).map(r -> "    " + r).toList())));
  }

  @Test
  void inlineRulesBlockWithTheirStatusAndPassBenignRequests() throws Exception {
    try (TestProxy proxy =
        withRules(
            "SecRule ARGS \"@rx (?i)union\\s+select\" \"id:1001,phase:2,deny,status:403,msg:'SQL injection'\"",
            "SecRule REQUEST_HEADERS:User-Agent \"@contains teapot-scanner\" \"id:1002,phase:1,deny,status:418,msg:'scanner'\"")) {
      assertEquals(200, proxy.get("/?q=hello").statusCode());
      assertEquals(403, proxy.get("/?q=1%20UNION%20%20select%20password").statusCode());
      HttpResponse<String> form =
          proxy
              .client()
              .send(
                  HttpRequest.newBuilder(proxy.uri("/"))
                      .header("Content-Type", "application/x-www-form-urlencoded")
                      .POST(HttpRequest.BodyPublishers.ofString("q=1+union+select+2"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(403, form.statusCode(), "form body is inspected");
      HttpResponse<String> scanner =
          proxy
              .client()
              .send(
                  HttpRequest.newBuilder(proxy.uri("/"))
                      .header("User-Agent", "teapot-scanner/1.0")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(418, scanner.statusCode());
      assertEquals(2, proxy.metrics().value("tpp_waf_rule_matches_total", "rule_id", "1001"));
    }
  }

  @Test
  void ruleThatDoesNotCompileStopsStartUpNamingItsLine() {
    WafCompileException e =
        assertThrows(
            WafCompileException.class,
            () ->
                withRules(
                    "SecRule ARGS \"@rx (?i)ok\" \"id:1,phase:2,deny\"",
                    "SecRule ARGS \"@nosuchoperator x\" \"id:2,phase:2,deny\""));
    assertTrue(e.getMessage().contains(":2"), e.getMessage());
  }

  @Test
  @EnabledIf("crsPresent")
  void crsAtParanoiaLevelOneBlocksSqlInjectionByAnomalyScore() throws Exception {
    try (TestProxy proxy =
        TestProxy.start(
            """
        pools: [{name: waf, threads: 2, maxQueue: 64, overflow: reject}]
        waf:
          enabled: true
          pool: waf
          crs: {enabled: true, path: %s, paranoiaLevel: 1, anomalyThreshold: 5}
        routes: [{path: /, return: {status: 200, body: "ok\\n"}}]
        """
                .formatted(CRS))) {
      HttpRequest.Builder browser =
          HttpRequest.newBuilder()
              .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0")
              .header("Accept", "text/html,application/xhtml+xml");
      assertEquals(
          200,
          proxy
              .client()
              .send(
                  browser.uri(proxy.uri("/search?q=thread+pools&page=2")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode());
      assertEquals(
          403,
          proxy
              .client()
              .send(
                  browser.uri(proxy.uri("/search?id=1%27%20or%20%271%27%3D%271")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode());
      assertTrue(proxy.metrics().value("tpp_waf_rule_matches_total", "rule_id", "949110") >= 1);
    }
  }

  @Test
  void backtrackingRegexPastItsBudgetIsCountedAndTheRequestStillAnswered() throws Exception {
    // the backreference keeps this pattern off RE2; on 40 a's without a b, (a+)+ backtracks
    // exponentially
    try (TestProxy proxy =
        withRules(
            "SecRule ARGS \"@rx ^(a+)+\\1?b$\" \"id:1003,phase:2,deny,status:403,msg:'pathological'\"")) {
      assertTrue(
          proxy.metrics().has("tpp_waf_regex_budget_overruns_total"), "exported from the start");
      double before = proxy.metrics().value("tpp_waf_regex_budget_overruns_total");
      assertEquals(
          200,
          proxy.get("/?q=" + "a".repeat(40)).statusCode(),
          "an overrun is no match, not a hang");
      assertTrue(
          proxy.metrics().value("tpp_waf_regex_budget_overruns_total") >= before + 1,
          "overrun counted");
      assertEquals(0, proxy.metrics().value("tpp_waf_rule_matches_total", "rule_id", "1003"));
      assertEquals(403, proxy.get("/?q=aab").statusCode(), "the rule still matches what it should");
    }
  }
}
