package dev.tpp.waf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Macros in operator parameters, msg and logdata, parsed when the rules are built and expanded with
 * each request's values, through the whole engine.
 */
class MacroTextsTest {

  @Test
  void msgAndLogdataShowWhatTheRuleMatched() throws Exception {
    WafEngine waf =
        WafEngineTest.engine(
            """
            SecRule ARGS "@rx attack" "id:7,phase:2,pass,msg:'found %{MATCHED_VAR} in %{MATCHED_VAR_NAME}',\\
              logdata:'rule %{rule.id}: %{rule.msg} (%{tx.none})'"
            """);
    RuleMatch m = waf.inspect(Requests.get("/?a=1&q=an+attack")).matches().get(0);
    assertEquals("found an attack in ARGS:q", m.message());
    assertEquals("rule 7: found an attack in ARGS:q ()", m.data());
    assertTrue(m.logLine().contains("[msg \"found an attack in ARGS:q\"]"), m.logLine());
  }

  @Test
  void streqAgainstATxValueSetByAnEarlierRule() throws Exception {
    WafEngine waf =
        WafEngineTest.engine(
            """
            SecRuleEngine On
            SecRule ARGS:expected "@rx ^(.*)$" "id:1,phase:1,pass,nolog,capture,setvar:tx.x=%{tx.1}"
            SecRule ARGS:got "!@streq %{tx.x}" "id:2,phase:1,deny,status:409,msg:'%{MATCHED_VAR} is not %{tx.x}'"
            """);
    assertFalse(waf.inspect(Requests.get("/?expected=abc&got=abc")).disruptive());
    WafVerdict v = waf.inspect(Requests.get("/?expected=abc&got=abd"));
    assertTrue(v.disruptive());
    assertEquals(409, v.status());
    assertEquals(List.of("abd is not abc"), v.matches().stream().map(RuleMatch::message).toList());
  }

  @Test
  void ipAndMethodListsFromConstantsAndMacros() throws Exception {
    WafEngine waf =
        WafEngineTest.engine(
            """
            SecRuleEngine On
            SecAction "id:1,phase:1,pass,nolog,setvar:'tx.allowed_methods=GET HEAD'"
            SecRule REMOTE_ADDR "@ipMatch 10.0.0.0/8,192.0.2.7" "id:2,phase:1,pass,msg:'trusted %{REMOTE_ADDR}'"
            SecRule REQUEST_METHOD "!@within %{tx.allowed_methods}" "id:3,phase:1,deny,status:405"
            """);
    WafVerdict get = waf.inspect(Requests.get("/"));
    assertFalse(get.disruptive());
    assertEquals("trusted 192.0.2.7", get.matches().get(0).message());
    assertEquals(405, waf.inspect(Requests.request("PUT", "/", null)).status());
  }
}
