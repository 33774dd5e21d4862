package dev.tpp.waf.engine.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.waf.engine.WafCompileException;
import dev.tpp.waf.engine.WafEngine;
import dev.tpp.waf.engine.WafRequest;
import dev.tpp.waf.engine.WafVerdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class AuditJsonTest {
  private static WafEngine engine(String rules) throws WafCompileException {
    return WafEngine.builder().rules("audit.conf", rules, Path.of(".")).build();
  }

  private static WafRequest request(String uri, byte[] body) {
    return new WafRequest(
        "id-1",
        "10.0.0.9",
        41000,
        "10.0.0.1",
        8080,
        "POST",
        uri,
        "HTTP/1.1",
        List.of(
            Map.entry("Host", "shop"),
            Map.entry("Content-Type", "application/x-www-form-urlencoded")),
        body,
        null,
        body.length);
  }

  @Test
  void directivesMakeThePolicyAndTheRecordFollowsTheParts() throws Exception {
    WafEngine waf =
        engine(
            """
        SecAuditEngine RelevantOnly
        SecAuditLogParts ABCEFHZ
        SecAuditLogFormat JSON
        SecAuditLogRelevantStatus "^(?:5|4(?!04))"
        SecAuditLog /dev/stdout
        SecRule ARGS "@detectXSS" "id:10,phase:2,deny,msg:'xss',tag:'a',tag:'b',severity:WARNING"
        """);
    AuditPolicy policy = waf.auditPolicy();
    assertEquals(AuditPolicy.Engine.RELEVANT_ONLY, policy.engine());
    assertTrue(
        policy.writes(503, false) && policy.writes(403, false) && !policy.writes(404, false));
    assertTrue(policy.writes(200, true) && !policy.writes(200, false));
    byte[] body = "q=<img src=x onerror=\"a\tb\">".getBytes(StandardCharsets.UTF_8);
    WafVerdict verdict = waf.inspect(request("/f?x=\u00e9", body));
    assertTrue(verdict.disruptive());
    String line =
        AuditJson.render(
            new AuditRecord(
                request("/f?x=1", body),
                0,
                403,
                List.of(Map.entry("Content-Type", "text/html")),
                "<p>é</p>".getBytes(StandardCharsets.UTF_8),
                verdict.matches(),
                "Enabled",
                List.of()),
            policy,
            "sid");
    assertTrue(
        line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, "one line: " + line);
    Map<String, Object> tx = map(new Yaml().load(line), "transaction");
    assertEquals("q=<img src=x onerror=\"a\tb\">", map(tx, "request").get("body"));
    assertEquals("<p>é</p>", map(tx, "response").get("body"));
    assertEquals("text/html", map(map(tx, "response"), "headers").get("Content-Type"));
    Map<String, Object> details =
        map(((List<Map<String, Object>>) tx.get("messages")).get(0), "details");
    assertEquals("4", details.get("severity"));
    assertEquals(List.of("a", "b"), details.get("tags"));
    assertEquals("audit.conf", details.get("file"));
    assertEquals("6", details.get("lineNumber"));
  }

  @Test
  void partsLeaveOutWhatIsNotAskedFor() throws Exception {
    AuditPolicy policy = new AuditPolicy(AuditPolicy.Engine.ON, "AZ", null, "x");
    String line =
        AuditJson.render(
            new AuditRecord(
                request("/", new byte[] {1}),
                0,
                200,
                List.of(),
                null,
                List.of(),
                "Enabled",
                List.of()),
            policy,
            "sid");
    assertFalse(
        line.contains("headers") || line.contains("body") || line.contains("messages"), line);
    assertTrue(line.contains("\"http_code\":200"), line);
  }

  @Test
  void badDirectivesNameTheProblem() {
    assertTrue(
        assertThrows(
                WafCompileException.class, () -> engine("SecAuditEngine Sometimes\nSecAuditLog /x"))
            .getMessage()
            .contains("On|Off|RelevantOnly"));
    assertTrue(
        assertThrows(WafCompileException.class, () -> engine("SecAuditEngine On"))
            .getMessage()
            .contains("needs SecAuditLog"));
    assertTrue(
        assertThrows(WafCompileException.class, () -> engine("SecAuditLogParts ABQ"))
            .getMessage()
            .contains("unknown part 'Q'"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object parent, String key) {
    return (Map<String, Object>) ((Map<String, Object>) parent).get(key);
  }
}
