package dev.tpp.waf.engine.differential;

import java.util.Random;

/**
 * The odd encodings evasive clients use, applied to a payload (bytes as chars): {@link #url} for a
 * query string or a form body (the result is what goes on the wire), {@link #text} for headers,
 * JSON and XML values. Each call picks one encoding with the caller's seeded {@link Random}, so a
 * corpus is reproducible.
 */
final class Encodings {
  private Encodings() {}

  /** The payload percent-encoded in one of twelve ways, some malformed on purpose. */
  static String url(Random random, String payload) {
    return switch (random.nextInt(12)) {
      case 0, 1 -> Bodies.formEncode(payload);
      case 2 -> minimal(payload);
      case 3 -> every(payload, "%%%02X");
      case 4 -> every(payload, "%%%02x");
      case 5 -> Bodies.formEncode(payload).replace("%", "%25");
      case 6 -> percentU(payload);
      case 7 -> minimal(payload).replace("/", "%c0%af").replace(".", "%c0%ae");
      case 8 -> insert(random, Bodies.formEncode(payload), random.nextBoolean() ? "%zz" : "%0");
      case 9 -> insert(random, Bodies.formEncode(payload), "%00");
      case 10 -> Bodies.formEncode(text(random, payload));
      default ->
          minimal(payload).replace("+", "%2B").replace(" ", random.nextBoolean() ? "%09" : "/**/");
    };
  }

  /**
   * The payload as text with a character-level disguise: case, whitespace, full-width forms,
   * entities, NUL.
   */
  static String text(Random random, String payload) {
    return switch (random.nextInt(8)) {
      case 0, 1 -> payload;
      case 2 -> flipCase(random, payload);
      case 3 -> payload.replace(" ", random.nextBoolean() ? "\t" : "\n");
      case 4 -> fullWidth(payload);
      case 5 -> entities(payload);
      case 6 -> insert(random, payload, "\0");
      default -> payload + Bodies.utf8(" \u00e9\u00e8 \u4e2d\u6587 \ud83d\ude00");
    };
  }

  /**
   * Only what would break the query's structure is encoded; quotes, brackets and slashes stay raw.
   */
  static String minimal(String payload) {
    StringBuilder b = new StringBuilder();
    for (char c : payload.toCharArray()) {
      if (c == '%' || c == '&' || c == '=' || c == '#' || c == '+' || c <= 0x20 || c >= 0x7F) {
        b.append(String.format("%%%02X", (int) c & 0xFF));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static String every(String payload, String format) {
    StringBuilder b = new StringBuilder();
    for (char c : payload.toCharArray()) {
      b.append(String.format(format, (int) c & 0xFF));
    }
    return b.toString();
  }

  /** IIS's {@code %uXXXX} for the punctuation, the rest form-encoded. */
  private static String percentU(String payload) {
    StringBuilder b = new StringBuilder();
    for (char c : payload.toCharArray()) {
      if (Character.isLetterOrDigit(c) || c >= 0x80) {
        b.append(Bodies.formEncode(String.valueOf(c)));
      } else {
        b.append(String.format("%%u%04x", (int) c));
      }
    }
    return b.toString();
  }

  private static String flipCase(Random random, String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
    }
    return b.toString();
  }

  /** ASCII punctuation and letters as their full-width forms (U+FF01..U+FF5E), UTF-8 encoded. */
  private static String fullWidth(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(c > 0x20 && c < 0x7F ? (char) (c - 0x21 + 0xFF01) : c);
    }
    return Bodies.utf8(b.toString());
  }

  private static String entities(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(Character.isLetterOrDigit(c) ? String.valueOf(c) : "&#" + (int) c + ";");
    }
    return b.toString();
  }

  private static String insert(Random random, String s, String what) {
    int at = random.nextInt(s.length() + 1);
    return s.substring(0, at) + what + s.substring(at);
  }
}
