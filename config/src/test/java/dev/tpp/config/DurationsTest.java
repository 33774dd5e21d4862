package dev.tpp.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @Test
  void parsesEachUnit() {
    assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
    assertEquals(Duration.ofSeconds(20), Durations.parse("20s"));
    assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
    assertEquals(Duration.ofHours(1), Durations.parse("1h"));
    assertEquals(Duration.ofNanos(1500), Durations.parse("1us500ns"));
  }

  @Test
  void parsesCompoundAndFractionalDurations() {
    assertEquals(Duration.ofSeconds(90), Durations.parse("1m30s"));
    assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
    assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
  }

  @Test
  void acceptsBareZero() {
    assertEquals(Duration.ZERO, Durations.parse("0"));
    assertEquals(Duration.ZERO, Durations.parse("0s"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1s", "10", "ten seconds", "1d", "s", "1m 30s", "", "1.s"})
  void rejectsNegativesAndGarbage(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertEquals("\"" + text + "\" is not a duration " + Durations.EXPECTED, e.getMessage());
  }

  @Test
  void formatsLargestUnitsFirst() {
    assertEquals("1m30s", Durations.format(Duration.ofSeconds(90)));
    assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
    assertEquals("1h", Durations.format(Duration.ofHours(1)));
    assertEquals("1s500ms", Durations.format(Duration.ofMillis(1500)));
    assertEquals("0s", Durations.format(Duration.ZERO));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1h2m3s4ms5us6ns", "60s", "90m", "250ms", "0s"})
  void formatThenParseIsIdentity(String text) {
    Duration d = Durations.parse(text);
    assertEquals(d, Durations.parse(Durations.format(d)));
  }
}
