package dev.tpp.proxy.waf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class WafGateTest {
  @Test
  void escapesControlCharactersSoAttackerDataCannotSplitALogLine() {
    assertEquals(
        "[data \"a\\x0a[id \\\"1\\\"]\\x0d\"]", WafGate.oneLine("[data \"a\n[id \\\"1\\\"]\r\"]"));
  }

  @Test
  void leavesPrintableLinesAlone() {
    String line = "ModSecurity: Warning. [id \"942100\"] [msg \"SQL Injection\"]";
    assertSame(line, WafGate.oneLine(line));
  }
}
