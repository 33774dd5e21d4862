package dev.tpp.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tpp.config.Durations;
import dev.tpp.config.Quantities;
import dev.tpp.crds.ThreadPoolProxySpec;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CRD's string patterns accept exactly what the proxy's parsers accept, on a sample of both kinds. */
class SchemaPatternsTest {
  @ParameterizedTest
  @ValueSource(strings = {"250ms", "20s", "5m", "1h30m", "1.5s", "500us", "0", "", "5", "-1s", "1d", "s", "1m 2s"})
  void durationPatternAgreesWithDurations(String text) {
    assertEquals(parses(() -> Durations.parse(text)), matches(ThreadPoolProxySpec.DURATION, text), text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1024", "64Ki", "1Mi", "1.5Mi", "1G", "1e3", "", "-1", "1KB", "Mi", "1 Mi"})
  void quantityPatternAgreesWithQuantities(String text) {
    assertEquals(parses(() -> Quantities.parse(text)), matches(ThreadPoolProxySpec.QUANTITY, text), text);
  }

  static boolean matches(String regex, String text) {
    return Pattern.compile(regex).matcher(text).find();
  }

  static boolean parses(Runnable parse) {
    try {
      parse.run();
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
