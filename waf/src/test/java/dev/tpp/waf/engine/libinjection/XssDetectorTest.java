package dev.tpp.waf.engine.libinjection;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XssDetectorTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:x\">",
        "\"><svg onload=alert(1)>",
        "x\" onmouseover=\"alert(1)",
        "<iframe src=//evil>",
        "<x:script xmlns:x=\"a\">",
        "<!DOCTYPE html>",
        "<div style=\"x:expression(alert(1))\">",
        "<a href=' data:text/html,x'>",
        "<a href=&#106;avascript:x>",
        "<a href=\"&#x6A&#x61vascript:x\">",
        "<scr\0ipt>",
        "<!--[if IE]>x<![endif]-->",
        "<?import namespace>",
        "<a/b/onclick=x>",
        "<% `x %>"
      })
  void flagsXss(String input) {
    assertTrue(XssDetector.isXss(input), input);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "hello world",
        "a < b and c > d",
        "<b>bold</b>",
        "<a href=\"/path\">link</a>",
        "ModSecurity CRS 3 Tests",
        "https://example.com/?q=1",
        "x=1&y=2",
        "/on=1",
        "<a onx=1>",
        "read the online manual",
        "<p class=\"x\" onlinehelp>",
        "<![CDATA[<script>]]",
        "\u00ff <![CDATA[ <!DOCTYPE x>",
        "<a href=\"&#x;javascript:x\">"
      })
  void passesBenignText(String input) {
    assertFalse(XssDetector.isXss(input), input);
  }

  @Test
  void scansLongSelfClosingRunsWithoutDeepRecursion() {
    String slashes = "<a " + "/".repeat(1_000_000);
    assertFalse(XssDetector.isXss(slashes));
    assertTrue(XssDetector.isXss(slashes + " onerror=x"));
  }
}
