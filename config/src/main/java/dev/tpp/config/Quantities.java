package dev.tpp.config;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes written as Kubernetes quantities: a plain number ({@code 1024}), a binary suffix
 * ({@code 64Ki}, {@code 1Mi}, {@code Gi Ti Pi Ei}), a decimal suffix ({@code 1k}, {@code 1M},
 * {@code G T P E}) or an exponent ({@code 1e3}); fractions are fine when the result is a whole
 * number of bytes ({@code 1.5Mi}). Stateless and thread-safe.
 */
public final class Quantities {
  private static final Pattern QUANTITY =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|[eE]\\d{1,2})?");
  static final String EXPECTED = "(expected: a size like 64Ki, 1Mi, 1G, 1024)";
  private static final String[] BINARY = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};

  private Quantities() {}

  /**
   * Parses quantity text such as {@code 64Ki}.
   *
   * @throws IllegalArgumentException naming the text and the expected form, when it is not a
   *     non-negative whole number of bytes that fits in a {@code long}
   */
  public static long parse(String text) {
    return parseValue(text);
  }

  /**
   * Parses a number of bytes as YAML gives it; like {@link #parse(String)}, it must be whole and
   * non-negative.
   */
  public static long parse(Number bytes) {
    return parseValue(bytes);
  }

  /** A YAML scalar: a {@link String} or a {@link Number}. */
  static long parseValue(Object value) {
    if (value instanceof Integer || value instanceof Long) {
      return nonNegative(((Number) value).longValue(), value);
    }
    if (value instanceof Number) {
      return whole(new BigDecimal(value.toString()), value);
    }
    if (!(value instanceof String)) {
      throw new IllegalArgumentException(value + " is not a size " + EXPECTED);
    }
    String text = ((String) value).strip();
    Matcher m = QUANTITY.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          Durations.quote((String) value) + " is not a size " + EXPECTED);
    }
    String suffix = m.group(2) == null ? "" : m.group(2);
    return whole(new BigDecimal(m.group(1)).multiply(multiplier(suffix)), value);
  }

  /**
   * The shortest exact text of {@code bytes}: a binary suffix when it divides evenly ({@code
   * 64Ki}), else digits.
   */
  public static String format(long bytes) {
    if (bytes > 0) {
      for (int i = 0; i < BINARY.length; i++) {
        long per = 1L << (10 * (BINARY.length - i));
        if (bytes % per == 0) {
          return (bytes / per) + BINARY[i];
        }
      }
    }
    return Long.toString(bytes);
  }

  private static BigDecimal multiplier(String suffix) {
    if (suffix.isEmpty()) {
      return BigDecimal.ONE;
    }
    if (suffix.startsWith("e") || suffix.startsWith("E")) {
      return BigDecimal.TEN.pow(Integer.parseInt(suffix.substring(1)));
    }
    if (suffix.endsWith("i")) {
      return BigDecimal.valueOf(2).pow(10 * ("KiMiGiTiPiEi".indexOf(suffix) / 2 + 1));
    }
    return BigDecimal.TEN.pow(3 * ("kMGTPE".indexOf(suffix) + 1));
  }

  private static long whole(BigDecimal bytes, Object value) {
    String shown = value instanceof String ? Durations.quote((String) value) : value.toString();
    if (bytes.signum() < 0) {
      throw new IllegalArgumentException(shown + " is negative " + EXPECTED);
    }
    try {
      return bytes.stripTrailingZeros().longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          shown + " is not a whole number of bytes below 2^63 " + EXPECTED);
    }
  }

  private static long nonNegative(long bytes, Object value) {
    return whole(BigDecimal.valueOf(bytes), value);
  }
}
