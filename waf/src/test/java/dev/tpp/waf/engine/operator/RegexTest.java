package dev.tpp.waf.engine.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RegexTest {

  @Test
  void possessiveQuantifiersRunOnRe2() {
    Regex r = Regex.compile("a++b*+c?+d{1,2}+");
    assertTrue(r.linear());
    assertNotNull(r.find("aabbcdd"));
  }

  @Test
  void pcreOnlyEscapesAreTranslated() {
    assertTrue(Regex.compile("abc\\Z").linear());
    assertNotNull(Regex.compile("abc\\Z").find("xabc\n"));
    assertTrue(Regex.compile("(?<name>x)").linear());
  }

  @Test
  void whitespaceClassesMeanWhatPcreMeansWithoutUtf() {
    // CRS 4's 932200 chains "@rx \\s" on values that may hold only a vertical tab as a space
    for (String p : new String[] {"a\\sb", "a[\\s]b", "a[^\\S]b", "(?<!x)a\\sb"}) {
      assertNotNull(Regex.compile(p).find("a\u000bb"), p);
      assertNull(Regex.compile(p).find("a\u0085b"), p);
    }
    assertNull(Regex.compile("a\\Sb").find("a\u000bb"));
    assertNull(Regex.compile("a[\\S]b").find("a\u000bb"));
    assertNotNull(Regex.compile("a[\\s\\S]b").find("a\u000bb"));
    assertNotNull(Regex.compile("a[\\S]b").find("a\u00ffb"));
    assertNotNull(Regex.compile("a\\hb").find("a\u00a0b"));
    assertNotNull(Regex.compile("--[\\v]").find("--\u0085"), "CRS 3.3.4 942440 writes \\v");
    assertNull(Regex.compile("--\\v").find("--\t"));
    assertTrue(Regex.compile("a\\sb").linear());
  }

  @Test
  void lookbehindFallsBackToBacktrackingEngine() {
    Regex r = Regex.compile("(?<!&amp);");
    assertFalse(r.linear());
    assertNotNull(r.find("a;"));
    assertNull(r.find("&amp;"));
  }

  @Test
  void runawayBacktrackingIsStoppedAndCounted() {
    Regex r = Regex.compile("^(a+)+\\1b"); // a backreference: RE2 refuses, java.util.regex explodes
    long before = RegexBudget.overruns();
    assertNull(r.find("a".repeat(40)));
    assertEquals(before + 1, RegexBudget.overruns());
  }

  @Test
  void possessiveQuantifiersKeepPcreSemanticsThroughConfirmation() {
    // greedy would let "\\s*" give the space back to "[^c]"; possessive must not (CRS 922110
    // depends on it)
    Regex r = Regex.compile("^a;\\s*+(?:charset=x|[^c][^=]*=\\w+)$");
    assertTrue(r.linear());
    assertNull(r.find("a; charset=y"));
    assertNotNull(r.find("a; charset=x"));
  }

  @Test
  void bracketInsideClassIsLiteralOnTheFallbackEngineToo() {
    Regex r = Regex.compile("(?<!x)[^![\\]]+$");
    assertNotNull(r.find("abc"));
    assertNull(r.find("a["));
  }

  @Test
  void invalidPatternIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> Regex.compile("(unclosed"));
  }
}
