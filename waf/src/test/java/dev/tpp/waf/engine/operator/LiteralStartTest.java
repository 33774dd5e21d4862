package dev.tpp.waf.engine.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class LiteralStartTest {

  @Test
  void findsTheLeadingLiteralOnlyWhereEveryMatchMustBeginWithIt() {
    assertEquals("<?", LiteralStart.of("<\\?(?!xml)"));
    assertEquals("foo", LiteralStart.of("foo(bar|baz)"));
    assertEquals("a|b", LiteralStart.of("a\\|b"));
    assertEquals("a", LiteralStart.of("ab?c"));
    assertEquals("", LiteralStart.of("abc|def"));
    assertEquals("", LiteralStart.of("(?i)abc"));
    assertEquals("", LiteralStart.of("^abc"));
    assertEquals("", LiteralStart.of("\\d+x"));
    assertEquals("", LiteralStart.of("[|]x"));
    assertEquals("", LiteralStart.of("a*b"));
  }

  @Test
  void aBacktrackingPatternStillFindsAMatchPastAFailedCandidate() {
    Regex php = Regex.compile("<\\?(?!xml)");
    assertNull(php.find("<p>a plain page</p>".repeat(1000)));
    assertNull(php.find("<?xml version=\"1.0\"?><doc/>"));
    assertNotNull(php.find("<?xml version=\"1.0\"?><doc>echo <?php phpinfo(); ?></doc>"));
    assertEquals("<?", php.find("x<?php").get(0));
  }
}
