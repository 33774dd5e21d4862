package dev.tpp.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LogValuesTest {

  @Test
  void escapesWhatCouldEndAQuotedValueOrSplitTheLine() {
    assertEquals("X\\\" status=200 event=fake", LogValues.escape("X\" status=200 event=fake"));
    assertEquals(
        "a\\x1b[31m\\x0d\\x0aevent=x\\x00\\\\", LogValues.escape("a\u001b[31m\r\nevent=x\u0000\\"));
    assertEquals("caf\\xe9 \\u20ac", LogValues.escape("caf\u00e9 \u20ac"));
  }

  @Test
  void leavesPlainTextAsItIs() {
    String plain = "invalid Host (expected: a name) /c/x?q=1";
    assertEquals(plain, LogValues.escape(plain));
    assertEquals("null", LogValues.escape(null));
  }
}
