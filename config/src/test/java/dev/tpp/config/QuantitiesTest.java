package dev.tpp.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {

  @Test
  void parsesBinaryAndDecimalSuffixes() {
    assertEquals(64 * 1024, Quantities.parse("64Ki"));
    assertEquals(1024 * 1024, Quantities.parse("1Mi"));
    assertEquals(3L << 30, Quantities.parse("3Gi"));
    assertEquals(1_000_000_000L, Quantities.parse("1G"));
    assertEquals(2000, Quantities.parse("2k"));
    assertEquals(1000, Quantities.parse("1e3"));
  }

  @Test
  void parsesPlainNumbersAsBytes() {
    assertEquals(1024, Quantities.parse("1024"));
    assertEquals(1024, Quantities.parse(1024));
    assertEquals(5_000_000_000L, Quantities.parse(5_000_000_000L));
    assertEquals(2048, Quantities.parse(2048.0));
  }

  @Test
  void parsesFractionsThatAreWholeBytes() {
    assertEquals(1024 * 1024 * 3 / 2, Quantities.parse("1.5Mi"));
    assertEquals(512, Quantities.parse("0.5Ki"));
  }

  @Test
  void rejectsFractionalBytes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Quantities.parse("1.5"));
    assertEquals(
        "\"1.5\" is not a whole number of bytes below 2^63 " + Quantities.EXPECTED, e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "-1Mi", "12XB", "Mi", "1 Mi", "", "1m", "1e999"})
  void rejectsNegativesAndGarbage(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Quantities.parse(text));
    assertEquals("\"" + text + "\" is not a size " + Quantities.EXPECTED, e.getMessage());
  }

  @Test
  void rejectsNegativeNumbers() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Quantities.parse(-5));
    assertEquals("-5 is negative " + Quantities.EXPECTED, e.getMessage());
  }

  @Test
  void rejectsValuesBeyondLong() {
    assertThrows(IllegalArgumentException.class, () -> Quantities.parse("16Ei"));
  }

  @Test
  void formatsWithTheLargestExactBinarySuffix() {
    assertEquals("64Ki", Quantities.format(65536));
    assertEquals("1Mi", Quantities.format(1024 * 1024));
    assertEquals("1536Ki", Quantities.format(1024 * 1536));
    assertEquals("1000", Quantities.format(1000));
    assertEquals("0", Quantities.format(0));
  }
}
