package dev.tpp.proxy.waf.conformance;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The pinning of CRS results: what makes the conformance run fail, and the go-ftw expectations it
 * reads.
 */
class CrsReportTest {
  private static final FtwOutput EXPECT_920100 =
      FtwOutput.of(Map.of("log", Map.of("expect_ids", List.of(920100))));
  private static final List<FtwTest> TESTS =
      List.of(
          new FtwTest("a.yaml", "920100-1", List.of(new FtwTest.Stage(new byte[0], EXPECT_920100))),
          new FtwTest(
              "a.yaml", "920100-2", List.of(new FtwTest.Stage(new byte[0], EXPECT_920100))));
  private static final Map<String, CrsConformanceIT.Outcome> OK =
      Map.of(
          "crs-0-0",
          new CrsConformanceIT.Outcome(200, false),
          "crs-1-0",
          new CrsConformanceIT.Outcome(200, false));
  private static final String LINE =
      "event=waf_match id=x rule=920100 ModSecurity: ... [id \"920100\"]";

  private static CrsReport report(Set<String> known, Map<String, List<String>> lines)
      throws Exception {
    return new CrsReport(new CrsExpectations("0.0.0", Map.of(), known), TESTS, OK, lines, 0);
  }

  @Test
  void passesWhenExactlyTheKnownFailuresFail() throws Exception {
    CrsReport report = report(Set.of("920100-2"), Map.of("crs-0-0", List.of(LINE)));
    assertDoesNotThrow(report::assertAsPinned);
  }

  @Test
  void failsOnANewFailure() throws Exception {
    CrsReport report = report(Set.of(), Map.of("crs-0-0", List.of(LINE)));
    AssertionError e = assertThrows(AssertionError.class, report::assertAsPinned);
    assertTrue(e.getMessage().contains("new failure 920100-2"), e.getMessage());
  }

  @Test
  void failsWhenAKnownFailurePassesOrIsNoTest() throws Exception {
    Map<String, List<String>> both = Map.of("crs-0-0", List.of(LINE), "crs-1-0", List.of(LINE));
    AssertionError e =
        assertThrows(AssertionError.class, () -> report(Set.of("920100-2"), both).assertAsPinned());
    assertTrue(e.getMessage().contains("known failure 920100-2 passes now"), e.getMessage());
    e = assertThrows(AssertionError.class, () -> report(Set.of("999-1"), both).assertAsPinned());
    assertTrue(e.getMessage().contains("999-1 is not a test"), e.getMessage());
  }

  @Test
  void failsOnATestThatChecksNothing() throws Exception {
    FtwOutput unread =
        FtwOutput.of(Map.of("response_contains", "x")); // go-ftw key this runner does not read
    List<FtwTest> tests =
        List.of(new FtwTest("b.yaml", "920100-3", List.of(new FtwTest.Stage(new byte[0], unread))));
    CrsReport report =
        new CrsReport(
            new CrsExpectations("0.0.0", Map.of(), Set.of()),
            tests,
            Map.of("crs-0-0", new CrsConformanceIT.Outcome(200, false)),
            Map.of(),
            0);
    AssertionError e = assertThrows(AssertionError.class, report::assertAsPinned);
    assertTrue(e.getMessage().contains("920100-3 (b.yaml) expects nothing"), e.getMessage());
  }

  @Test
  void readsGoFtwAndFtwOneExpectations() {
    FtwOutput go =
        FtwOutput.of(
            Map.of(
                "status",
                200,
                "log",
                Map.of("no_expect_ids", List.of(942100), "match_regex", "ARGS:x")));
    assertEquals(List.of(200), go.statuses());
    assertEquals(List.of("942100"), go.noExpectIds());
    assertEquals("ARGS:x", go.logRegex());
    FtwOutput one = FtwOutput.of(Map.of("status", List.of(403, 200), "log_contains", "id \"1\""));
    assertEquals(List.of(403, 200), one.statuses());
    assertEquals("id \"1\"", one.logRegex());
    assertNull(Expectations.check(go, new CrsConformanceIT.Outcome(200, false), List.of("ARGS:x")));
    assertTrue(
        Expectations.check(
                go,
                new CrsConformanceIT.Outcome(200, false),
                List.of("event=waf_match id=x rule=942100 ARGS:x"))
            .contains("942100 logged"));
  }

  @Test
  void expandsTheRepeatTemplate() {
    assertEquals("a111b", FtwTemplates.expand("a{{ \"1\" | repeat 3 }}b"));
    assertEquals("{{ other }}", FtwTemplates.expand("{{ other }}"));
  }
}
