package dev.tpp.waf.engine.audit;

/**
 * JSON string literals for the hand-written JSON of the audit log (and the proxy's admin answers).
 * Any thread.
 */
public final class JsonStrings {
  private JsonStrings() {}

  /**
   * {@code s} as the inside of a JSON string: quotes, backslashes and control characters escaped.
   */
  public static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    appendEscaped(b, s);
    return b.toString();
  }

  /**
   * Appends {@code s} escaped; line separators too, so that no value can break a one-line record.
   */
  static void appendEscaped(StringBuilder b, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
  }
}
