package dev.tpp.waf.engine.seclang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.waf.engine.WafCompileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecLangParserTest {

  private static RuleSet parse(String text) throws WafCompileException {
    SecLangParser p = new SecLangParser();
    p.parse(text, "rules", null);
    return p.finish();
  }

  @Test
  void joinsContinuationLinesAndReadsActions() throws Exception {
    RuleSet rs =
        parse(
            "SecRule ARGS \"@rx a\" \\\n    \"id:1,\\\n    phase:1,deny,status:401,msg:'x, y',tag:'t1'\"");
    Rule r = rs.phase1().get(0);
    assertEquals("1", r.meta().id());
    assertEquals("x, y", r.meta().msgText());
    assertEquals(Disruptive.DENY, r.disruptive());
    assertEquals(401, r.status());
    assertEquals(List.of("t1"), r.meta().tags());
  }

  @Test
  void quotedArgumentsLoseBackslashesLikeApache() throws Exception {
    RuleSet rs = parse("SecRule ARGS \"@rx a\\\\b\\\"c\" \"id:1,phase:1\"");
    assertEquals("a\\b\"c", rs.phase1().get(0).operatorParam());
  }

  @Test
  void chainsBecomeOneRuleWithLinks() throws Exception {
    RuleSet rs =
        parse(
            "SecRule ARGS \"@rx a\" \"id:2,phase:2,deny,chain\"\nSecRule ARGS \"@rx b\" \"setvar:tx.x=1\"");
    assertEquals(1, rs.ruleCount());
    assertNotNull(rs.phase2().get(0).chain());
  }

  @Test
  void parsesTargetsWithExclusionsCountsAndRegexKeysContainingPipes() {
    List<Target> t = TargetParser.parse("ARGS|!ARGS:foo|&TX:x|REQUEST_COOKIES:/^(a|b)$/|XML:/*");
    assertEquals(5, t.size());
    assertTrue(t.get(1).exclude());
    assertTrue(t.get(2).count());
    assertTrue(t.get(3).selects("B"));
    assertEquals("/*", t.get(4).key());
  }

  @Test
  void unknownDirectiveFailsWithSourceAndLine() {
    WafCompileException e =
        assertThrows(WafCompileException.class, () -> parse("\n\nSecFrobnicate On"));
    assertTrue(e.getMessage().startsWith("rules:3: "), e.getMessage());
  }

  @Test
  void misspelledVariableFailsTheBuild() {
    assertTrue(
        assertThrows(WafCompileException.class, () -> parse("SecRule ARGZ \"x\" \"id:1\""))
            .getMessage()
            .contains("ARGZ"));
  }

  @Test
  void badOperatorAndMissingIdFailWithLine() {
    assertTrue(
        assertThrows(WafCompileException.class, () -> parse("SecRule ARGS \"@nope x\" \"id:1\""))
            .getMessage()
            .startsWith("rules:1: "));
    assertTrue(
        assertThrows(WafCompileException.class, () -> parse("SecRule ARGS \"x\" \"phase:1\""))
            .getMessage()
            .contains("no id"));
  }

  @Test
  void responseAndAuditDirectivesAreIgnored() throws Exception {
    RuleSet rs =
        parse(
            "SecAuditLog /var/log/x\nSecResponseBodyAccess On\nSecTmpDir /tmp\nSecPcreMatchLimit 1000\n"
                + "SecRequestBodyLimit 1000\nSecRuleEngine DetectionOnly\nSecComponentSignature \"x\"");
    assertEquals("DetectionOnly", rs.engineMode());
  }

  @Test
  void includeResolvesRelativeToTheIncludingFileAndExpandsGlobs(@TempDir Path dir)
      throws Exception {
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("main.conf"), "Include sub/*.conf\n");
    Files.writeString(dir.resolve("sub/b.conf"), "SecAction \"id:2,phase:1,pass\"\n");
    Files.writeString(dir.resolve("sub/a.conf"), "SecAction \"id:1,phase:1,pass\"\n");
    SecLangParser p = new SecLangParser();
    p.parseFile(dir.resolve("main.conf"));
    RuleSet rs = p.finish();
    assertEquals("1", rs.phase1().get(0).meta().id());
    assertEquals("2", rs.phase1().get(1).meta().id());
  }

  @Test
  void removeByIdAcceptsRangesAndUpdateTargetAddsExclusions() throws Exception {
    RuleSet rs =
        parse(
            "SecAction \"id:10,phase:1,pass\"\nSecAction \"id:20,phase:1,pass\"\n"
                + "SecRule ARGS \"@rx x\" \"id:30,phase:1,pass\"\nSecRuleRemoveById 5-15\nSecRuleUpdateTargetById 30 \"!ARGS:foo\"");
    assertEquals(2, rs.ruleCount());
    assertEquals("!ARGS:foo", rs.phase1().get(1).targets().get(1).toString());
  }

  @Test
  void defaultActionSuppliesDisruptionForBlock() throws Exception {
    RuleSet rs =
        parse(
            "SecDefaultAction \"phase:2,log,deny,status:418\"\nSecRule ARGS \"x\" \"id:1,phase:2,block\"");
    assertEquals(Disruptive.DENY, rs.phase2().get(0).disruptive());
    assertEquals(418, rs.phase2().get(0).status());
  }
}
