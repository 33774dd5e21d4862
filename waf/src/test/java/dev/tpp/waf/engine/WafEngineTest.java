package dev.tpp.waf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class WafEngineTest {
  static final String SQLI =
      """
      SecRuleEngine On
      SecRule ARGS "@rx (?i)union\\s+select" "id:1001,phase:2,deny,status:403,msg:'SQL injection',\\
        logdata:'%{MATCHED_VAR_NAME}=%{MATCHED_VAR}',severity:CRITICAL,tag:'attack-sqli',t:none,t:urlDecodeUni"
      """;

  static WafEngine engine(String rules) throws WafCompileException {
    return WafEngine.builder().rules("rules", rules, null).build();
  }

  @Test
  void blocksUnionSelectAndPassesBenignQueries() throws Exception {
    WafEngine waf = engine(SQLI);
    WafVerdict bad = waf.inspect(Requests.get("/search?q=1%20union%20select%201"));
    assertTrue(bad.disruptive());
    assertEquals(403, bad.status());
    assertEquals("1001", bad.matches().get(0).ruleId());
    WafVerdict good = waf.inspect(Requests.get("/search?q=unions%20selected"));
    assertFalse(good.disruptive());
    assertTrue(good.matches().isEmpty());
  }

  @Test
  void logLineHasModSecurityShape() throws Exception {
    RuleMatch m = engine(SQLI).inspect(Requests.get("/s?q=1+union+select+1")).matches().get(0);
    assertTrue(
        m.logLine()
            .startsWith(
                "ModSecurity: Access denied with code 403 (phase 2). Matched \"Operator `Rx'"),
        m.logLine());
    assertTrue(
        m.logLine().contains("against variable `ARGS:q' (Value: `1 union select 1' )"),
        m.logLine());
    assertTrue(
        m.logLine()
            .contains(
                "[id \"1001\"] [msg \"SQL injection\"] [data \"ARGS:q=1 union select 1\"] [severity \"CRITICAL\"]"),
        m.logLine());
    assertTrue(
        m.logLine().contains("[hostname \"example.test\"] [uri \"/s\"] [unique_id \"req-1\"]"),
        m.logLine());
  }

  @Test
  void detectionOnlyLogsWithoutDisrupting() throws Exception {
    WafVerdict v =
        engine(SQLI.replace("SecRuleEngine On", "SecRuleEngine DetectionOnly"))
            .inspect(Requests.get("/?q=union%20select"));
    assertFalse(v.disruptive());
    assertTrue(v.matches().get(0).logLine().startsWith("ModSecurity: Warning."));
  }

  @Test
  void engineOffRunsNothing() throws Exception {
    assertTrue(
        engine(SQLI.replace("SecRuleEngine On", "SecRuleEngine Off"))
            .inspect(Requests.get("/?q=union%20select"))
            .matches()
            .isEmpty());
  }

  @Test
  void inspectsUrlencodedJsonAndMultipartBodies() throws Exception {
    WafEngine waf = engine(SQLI);
    assertTrue(
        waf.inspect(
                Requests.post(
                    "/", "a=1&q=union+select", "Content-Type", "application/x-www-form-urlencoded"))
            .disruptive());
    WafVerdict json =
        waf.inspect(
            Requests.post(
                "/", "{\"a\":{\"b\":[\"union select\"]}}", "Content-Type", "application/json"));
    assertTrue(
        json.matches().get(0).logLine().contains("ARGS:json.a.b.0"),
        json.matches().get(0).logLine());
    String multipart =
        "--XX\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nunion select\r\n--XX--\r\n";
    assertTrue(
        waf.inspect(
                Requests.post("/", multipart, "Content-Type", "multipart/form-data; boundary=XX"))
            .disruptive());
  }

  @Test
  void anomalyScoringBlocksAtTheThresholdLikeCrs() throws Exception {
    String rules =
        """
        SecAction "id:1,phase:1,pass,nolog,setvar:tx.threshold=5"
        SecRule ARGS "@contains evil" "id:2,phase:2,pass,setvar:'tx.anomaly_score=+%{tx.critical}',setvar:tx.critical=5"
        SecRule ARGS_NAMES "@streq bad" "id:3,phase:2,pass,setvar:tx.anomaly_score=+3"
        SecRule TX:ANOMALY_SCORE "@ge %{tx.threshold}" "id:949,phase:2,deny,msg:'score %{tx.anomaly_score}'"
        """;
    WafEngine waf = engine(rules);
    assertFalse(waf.inspect(Requests.get("/?bad=1")).disruptive());
    WafVerdict v = waf.inspect(Requests.get("/?bad=1&x=evil&y=evil"));
    assertTrue(v.disruptive());
    assertEquals("score 8", v.matches().get(v.matches().size() - 1).message());
  }

  @Test
  void chainsCaptureAndMacrosWorkTogether() throws Exception {
    String rules =
        """
        SecRule REQUEST_HEADERS:Content-Type "@rx ^([^;\\s]+)" "id:5,phase:1,deny,capture,msg:'type %{tx.1}',\\
          setvar:'tx.ct=|%{tx.1}|',chain"
          SecRule TX:ct "!@within |text/plain|" "t:lowercase"
        """;
    WafEngine waf = engine(rules);
    assertFalse(
        waf.inspect(Requests.get("/", "Content-Type", "text/plain; charset=x")).disruptive());
    WafVerdict v = waf.inspect(Requests.get("/", "Content-Type", "application/evil"));
    assertTrue(v.disruptive());
    assertEquals("type application/evil", v.matches().get(0).message());
  }

  @Test
  void rxPatternsExpandMacrosPerRequest() throws Exception {
    String rules =
        """
        SecAction "id:30,phase:1,pass,nolog,setvar:'tx.allowed=|get|head|'"
        SecRule REQUEST_METHOD "!@rx (?i)\\|%{tx.allowed_method_list}%{REQUEST_METHOD}\\|" "id:31,phase:1,deny,chain"
          SecRule REQUEST_METHOD "!@within %{tx.allowed}" "t:lowercase"
        """;
    WafEngine waf = engine(rules);
    assertFalse(waf.inspect(Requests.get("/")).disruptive());
    assertTrue(waf.inspect(Requests.request("PUT", "/", null)).disruptive());
  }

  @Test
  void skipAfterAndCtlExclusionsChangeWhatRuns() throws Exception {
    String rules =
        """
        SecRule REQUEST_URI "@beginsWith /admin" "id:10,phase:1,pass,nolog,skipAfter:END"
        SecRule ARGS "@streq x" "id:11,phase:1,deny"
        SecMarker END
        SecRule REQUEST_URI "@beginsWith /api" "id:12,phase:1,pass,nolog,ctl:ruleRemoveTargetById=13;ARGS:token"
        SecRule ARGS "@contains y" "id:13,phase:2,deny"
        """;
    WafEngine waf = engine(rules);
    assertFalse(waf.inspect(Requests.get("/admin?a=x")).disruptive());
    assertTrue(waf.inspect(Requests.get("/other?a=x")).disruptive());
    assertFalse(waf.inspect(Requests.get("/api?token=y")).disruptive());
    assertTrue(waf.inspect(Requests.get("/api?other=y")).disruptive());
  }

  @Test
  void ctlValuesBuiltFromMacrosAreParsedWhenExpanded() throws Exception {
    String rules =
        """
        SecAction "id:30,phase:1,pass,nolog,setvar:tx.Skip_Id=31,setvar:'tx.mode=%{ARGS.mode}'"
        SecRule ARGS:off "@streq 1" "id:32,phase:1,pass,nolog,ctl:ruleRemoveById=%{tx.skip_id},ctl:ruleEngine=%{TX.MODE}"
        SecRule ARGS "@contains evil" "id:31,phase:2,deny"
        SecRule ARGS "@contains bad" "id:33,phase:2,deny"
        """;
    WafEngine waf = engine(rules);
    assertTrue(waf.inspect(Requests.get("/?a=evil")).disruptive());
    assertFalse(
        waf.inspect(Requests.get("/?a=evil&off=1&mode=On"))
            .disruptive()); // 31 removed, by the macro's id
    assertTrue(waf.inspect(Requests.get("/?a=bad&off=1&mode=On")).disruptive());
    assertFalse(waf.inspect(Requests.get("/?a=bad&off=1&mode=DetectionOnly")).disruptive());
    assertTrue(
        waf.inspect(Requests.get("/?a=bad&off=1&mode=nonsense"))
            .disruptive()); // ignored, WARN line
  }

  @Test
  void countsExclusionsAndCaseInsensitiveHeaderKeys() throws Exception {
    String rules =
        """
        SecRule &REQUEST_HEADERS:user-agent "@eq 0" "id:20,phase:1,deny,status:400"
        SecRule ARGS|!ARGS:safe "@contains <" "id:21,phase:1,deny"
        """;
    WafEngine waf = engine(rules);
    assertEquals(400, waf.inspect(Requests.get("/")).status());
    assertFalse(waf.inspect(Requests.get("/?safe=<b>", "User-Agent", "t")).disruptive());
    assertTrue(waf.inspect(Requests.get("/?other=<b>", "User-Agent", "t")).disruptive());
  }

  @Test
  void inspectIsSafeFromManyThreadsAtOnce() throws Exception {
    WafEngine waf = engine(SQLI);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new java.util.ArrayList<>();
      for (int i = 0; i < 200; i++) {
        boolean attack = i % 2 == 0;
        results.add(
            pool.submit(
                () ->
                    waf.inspect(Requests.get(attack ? "/?q=union+select" : "/?q=hello"))
                            .disruptive()
                        == attack));
      }
      for (Future<Boolean> f : results) {
        assertTrue(f.get());
      }
    } finally {
      pool.shutdown();
    }
  }
}
