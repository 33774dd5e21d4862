package dev.tpp.waf.engine.libinjection;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqliDetectorTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1234 OR 1=1",
        "-1839' or '1'='1",
        "1\" or \"1\"=\"2",
        "x' and 526=527",
        "foo') UNION ALL select NULL --",
        "1 union select password from users",
        "admin'--",
        "sleep(20)",
        "1; drop table users",
        "x' and sleep(12) --",
        "2010-01-01'+sleep(20.to_i)+'"
      })
  void flagsInjections(String input) {
    assertNotNull(SqliDetector.fingerprintIfSqli(input), input);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "hello world",
        "o'reilly",
        "it's a test",
        "john.doe@example.com",
        "2010-01-01",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
        "text/html,application/xhtml+xml;q=0.9",
        "rock and roll",
        "select a product",
        "don't stop believing",
        "42",
        "en-US,en;q=0.5"
      })
  void passesBenignText(String input) {
    assertNull(SqliDetector.fingerprintIfSqli(input), input);
  }

  @Test
  void fingerprintIsReturnedForCapture() {
    assertTrue(SqliDetector.fingerprintIfSqli("1 union select 1").contains("UE"));
  }
}
