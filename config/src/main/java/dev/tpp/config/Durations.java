package dev.tpp.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Duration strings as written in {@code proxy.yaml}: a sequence of {@code <number><unit>} terms
 * such as {@code 250ms}, {@code 20s}, {@code 5m}, {@code 1h} or {@code 1m30s} (units {@code h m s
 * ms us ns}, like Go's {@code time.ParseDuration}), or a bare {@code 0}. Negative values are
 * rejected. Stateless and thread-safe.
 */
public final class Durations {
  private static final Pattern TERM = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|us|ns|m|s)");
  static final String EXPECTED = "(expected: a duration like 250ms, 20s, 5m, 1h30m)";

  private Durations() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the text and the expected form, when it is not a
   *     non-negative duration
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("\"\" is not a duration " + EXPECTED);
    }
    String s = text.strip();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = TERM.matcher(s);
    BigDecimal nanos = BigDecimal.ZERO;
    int at = 0;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new IllegalArgumentException(quote(text) + " is not a duration " + EXPECTED);
      }
      nanos =
          nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
      at = m.end();
    }
    try {
      // Nanoseconds are the resolution: "1.5ns" is 1ns, as in Go.
      return Duration.ofNanos(nanos.setScale(0, RoundingMode.DOWN).longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(quote(text) + " is too long a duration " + EXPECTED);
    }
  }

  /**
   * The canonical text of {@code d}, largest units first: {@code 1m30s}, {@code 250ms}, {@code 0s}.
   */
  public static String format(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("negative duration: " + d);
    }
    if (d.isZero()) {
      return "0s";
    }
    long rest = d.toNanos();
    StringBuilder out = new StringBuilder();
    for (String unit : new String[] {"h", "m", "s", "ms", "us", "ns"}) {
      long per = unitNanos(unit);
      if (rest >= per) {
        out.append(rest / per).append(unit);
        rest %= per;
      }
    }
    return out.toString();
  }

  private static long unitNanos(String unit) {
    switch (unit) {
      case "h":
        return 3_600_000_000_000L;
      case "m":
        return 60_000_000_000L;
      case "s":
        return 1_000_000_000L;
      case "ms":
        return 1_000_000L;
      case "us":
        return 1_000L;
      default:
        return 1L;
    }
  }

  static String quote(@Nullable String s) {
    return "\"" + s + "\"";
  }
}
