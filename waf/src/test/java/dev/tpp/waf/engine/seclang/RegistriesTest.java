package dev.tpp.waf.engine.seclang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tpp.waf.engine.WafCompileException;
import dev.tpp.waf.engine.WafEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every name in a rule resolves from a registry at build time: a typo fails the build with
 * FILE:LINE and the name.
 */
class RegistriesTest {

  private static String error(String rules) {
    return assertThrows(
            WafCompileException.class,
            () -> {
              SecLangParser p = new SecLangParser();
              p.parse(rules, "local.conf", null);
              p.finish();
            })
        .getMessage();
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      textBlock =
          """
      SecRule ARGS_GETT "@rx a" "id:1,pass" => local.conf:2: unknown variable 'ARGS_GETT' in 'ARGS_GETT'
      SecRule ARGS|!REQUEST_COOKIE:x "@rx a" "id:1,pass" => local.conf:2: unknown variable 'REQUEST_COOKIE' in 'ARGS|!REQUEST_COOKIE:x'
      SecRule TIMEX "@rx a" "id:1,pass" => local.conf:2: unknown variable 'TIMEX' in 'TIMEX'
      SecRule RESPONSE_BODYS "@rx a" "id:1,pass" => local.conf:2: unknown variable 'RESPONSE_BODYS' in 'RESPONSE_BODYS'
      SecRule MULTIPART_STRICT_ERRORS "@eq 1" "id:1,pass" => local.conf:2: unknown variable 'MULTIPART_STRICT_ERRORS' in 'MULTIPART_STRICT_ERRORS'
      SecRule ARGS "@rxx a" "id:1,pass" => local.conf:2: unknown operator @rxx
      SecRule ARGS "@rx a" "id:1,pas" => local.conf:2: unknown action 'pas'
      SecRule ARGS "@rx a" "id:1,pass,ctl:ruleRemoveTargetByID=2;ARGS,ctl:ruleEngin=Off" => local.conf:2: unknown ctl option 'ruleEngin'
      SecRule ARGS "@rx a" "id:1,pass,ctl:ruleRemoveTargetById=2" => local.conf:2: ctl:ruleRemoveTargetById expects RULE;TARGETS, got '2'
      SecRule ARGS "@rx a" "id:1,pass,ctl:ruleRemoveTargetById=2;ARGZ" => local.conf:2: unknown variable 'ARGZ' in 'ARGZ'
      SecRule ARGS "@rx a" "id:1,pass,ctl:ruleEngine=Of" => local.conf:2: ctl:ruleEngine expects On|Off|DetectionOnly, got 'Of'
      SecRule ARGS "@rx a" "id:1,pass,setvar:txx.score=+1" => local.conf:2: setvar on unknown collection 'txx' (expected: TX, IP, GLOBAL, SESSION, USER or RESOURCE)
      SecRule ARGS "@rx a" "id:1,pass,msg:'%{MATCHED_VARR}'" => local.conf:2: unknown variable 'MATCHED_VARR' in %{MATCHED_VARR}
      SecRule ARGS "@streq %{txx.x}" "id:1,pass" => local.conf:2: unknown variable 'txx' in %{txx.x}
      """)
  void unknownNameFailsTheBuildWithFileLineAndName(String rule, String expected) {
    assertEquals(expected, error("SecRuleEngine On\n" + rule + "\n"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SecRule REQUEST_HEADERS:User-Agent|!REQUEST_COOKIES:/^_ga/|&ARGS_POST_NAMES|TIME_WDAY \"@rx a\" \"id:1,pass\"",
        "SecRule MULTIPART_CRLF_LF_LINES|MULTIPART_SEMICOLON_MISSING|ENV|GEO:country_code \"@eq 1\" \"id:1,pass\"",
        "SecRule ARGS \"@rx a\" \"id:1,pass,CTL:RULEENGINE=detectiononly,ctl:auditLogParts=+E,ctl:hashEngine=On\"",
        "SecRule ARGS \"@rx a\" \"id:1,pass,ctl:ruleRemoveTargetById=%{tx.id};ARGS:x,setvar:ip.n=+1,setvar:Session.k\"",
        "SecRule args \"@RX a\" \"ID:1,PASS,msg:'%{rule.id} %{Matched_Var_Name} %{request_headers.host}'\""
      })
  void documentedNamesInAnyCaseLoad(String rule) throws Exception {
    SecLangParser p = new SecLangParser();
    p.parse(rule, "local.conf", null);
    assertNotNull(p.finish());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/work/shared/crs-3.3.4", "/work/shared/crs-4.28.0"})
  void everyCrsRuleFileLoads(String dir) throws Exception {
    Path crs = Path.of(dir);
    assumeTrue(Files.isDirectory(crs.resolve("rules")), "CRS not present at " + crs);
    assertNotNull(
        WafEngine.builder().crs(crs, 4, 5).build()); // every rules/*.conf is parsed at any level
  }
}
