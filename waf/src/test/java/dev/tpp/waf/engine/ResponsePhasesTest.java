package dev.tpp.waf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResponsePhasesTest {
  private static final String RULES =
      """
      SecResponseBodyAccess On
      SecResponseBodyMimeType application/json
      SecResponseBodyLimit 1024
      SecResponseBodyLimitAction ProcessPartial
      SecRule ARGS:q "@streq x" "id:1,phase:2,pass,nolog,setvar:tx.seen=1"
      SecRule RESPONSE_STATUS "@streq 500" "id:3,phase:3,deny,status:502,log"
      SecRule RESPONSE_HEADERS:X-Leak "@rx ." "id:4,phase:3,pass,log"
      SecRule RESPONSE_BODY "@contains ORA-00933" "id:5,phase:4,deny,log"
      SecRule TX:seen "@eq 1" "id:6,phase:5,pass,log"
      """;

  private static WafEngine engine(String rules) throws WafCompileException {
    return WafEngine.builder().rules("t", rules, Path.of(".")).build();
  }

  private static WafRequest get(String uri) {
    return new WafRequest(
        "r",
        "127.0.0.1",
        1,
        "127.0.0.1",
        80,
        "GET",
        uri,
        "HTTP/1.1",
        List.of(Map.entry("Host", "h")),
        null,
        null,
        0);
  }

  private static WafResponse response(int status, String body, Map.Entry<String, String> header) {
    byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.ISO_8859_1);
    return new WafResponse(
        status,
        "HTTP/1.1",
        List.of(Map.entry("Content-Type", "application/json"), header),
        bytes,
        bytes == null ? -1 : bytes.length);
  }

  private static List<String> ids(WafVerdict v) {
    return v.matches().stream().map(RuleMatch::ruleId).toList();
  }

  @Test
  void responseRulesSeeStatusHeadersAndBodyWithTheRequestsTx() throws Exception {
    WafTransaction tx = engine(RULES).begin(get("/?q=x"));
    assertFalse(tx.requestVerdict().disruptive());
    WafVerdict v =
        tx.inspectResponse(response(200, "error: ORA-00933 near", Map.entry("X-Leak", "1")));
    assertTrue(v.disruptive());
    assertEquals(403, v.status());
    assertEquals(List.of("4", "5", "6"), ids(v));
  }

  @Test
  void phaseThreeDenyStopsBeforeTheBodyAndLoggingStillRuns() throws Exception {
    WafTransaction tx = engine(RULES).begin(get("/?q=x"));
    WafVerdict v = tx.inspectResponse(response(500, "ORA-00933", Map.entry("X-Other", "1")));
    assertEquals(502, v.status());
    assertEquals(List.of("3", "6"), ids(v));
  }

  @Test
  void aBodyNotHandedOverIsNotInspected() throws Exception {
    WafVerdict v =
        engine(RULES)
            .begin(get("/"))
            .inspectResponse(response(200, null, Map.entry("X-Other", "1")));
    assertFalse(v.disruptive());
    assertEquals(List.of(), ids(v));
  }

  @Test
  void aSpooledBodyIsReadFromItsFileUpToTheBodyLimit(@TempDir Path dir) throws Exception {
    Path early =
        Files.writeString(dir.resolve("early"), "x".repeat(900) + "ORA-00933" + "y".repeat(3000));
    Path late = Files.writeString(dir.resolve("late"), "x".repeat(1500) + "ORA-00933");
    assertEquals(List.of("5"), ids(engine(RULES).begin(get("/")).inspectResponse(spooled(early))));
    assertEquals(List.of(), ids(engine(RULES).begin(get("/")).inspectResponse(spooled(late))));
  }

  private static WafResponse spooled(Path file) throws Exception {
    return new WafResponse(
        200,
        "HTTP/1.1",
        List.of(Map.entry("Content-Type", "application/json")),
        null,
        file,
        Files.size(file));
  }

  @Test
  void ctlResponseBodyAccessTurnsBodyInspectionOnOrOffPerTransaction() throws Exception {
    WafEngine off =
        engine(
            """
            SecResponseBodyAccess Off
            SecRule ARGS:inspect "@streq 1" "id:1,phase:1,pass,nolog,ctl:responseBodyAccess=On"
            SecRule RESPONSE_BODY "@contains ORA-00933" "id:5,phase:4,deny,log"
            """);
    WafTransaction asked = off.begin(get("/?inspect=1"));
    assertTrue(asked.responseBodyAccess());
    assertEquals(
        List.of("5"),
        ids(asked.inspectResponse(response(200, "ORA-00933", Map.entry("X-Other", "1")))));
    WafTransaction plain = off.begin(get("/"));
    assertFalse(plain.responseBodyAccess());
    assertEquals(
        List.of(),
        ids(plain.inspectResponse(response(200, "ORA-00933", Map.entry("X-Other", "1")))));

    WafEngine on =
        engine(
            RULES
                + "SecRule ARGS:skip \"@streq 1\" \"id:2,phase:2,pass,nolog,ctl:responseBodyAccess=Off\"\n");
    WafTransaction skipped = on.begin(get("/?skip=1"));
    assertFalse(skipped.responseBodyAccess());
    assertEquals(
        List.of(),
        ids(skipped.inspectResponse(response(200, "ORA-00933", Map.entry("X-Other", "1")))));
  }

  @Test
  void policyFollowsTheDirectives() throws Exception {
    ResponsePolicy p = engine(RULES).responsePolicy();
    assertTrue(p.inspects());
    assertTrue(p.inspectsBodyOf("application/json; charset=utf-8"));
    assertTrue(p.inspectsBodyOf("TEXT/HTML"));
    assertFalse(p.inspectsBodyOf("image/png"));
    assertEquals(1024, p.bodyLimit());
    assertFalse(p.rejectOverLimit());
    ResponsePolicy none = engine("SecRule ARGS \"@rx a\" \"id:1,phase:2,pass\"").responsePolicy();
    assertFalse(none.inspects());
    assertFalse(none.inspectsBodyOf("text/html"));
  }

  @Test
  void badResponseDirectivesNameTheirLine() throws Exception {
    WafCompileException e =
        assertThrows(WafCompileException.class, () -> engine("SecResponseBodyLimit lots"));
    assertTrue(
        e.getMessage().contains("t:1") && e.getMessage().contains("SecResponseBodyLimit"),
        e.getMessage());
    assertThrows(WafCompileException.class, () -> engine("SecResponseBodyAccess Maybe"));
  }
}
