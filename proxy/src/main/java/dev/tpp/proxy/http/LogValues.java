package dev.tpp.proxy.http;

import org.jspecify.annotations.Nullable;

/**
 * Makes client-controlled text safe inside a log line or an error body: every byte outside
 * printable ASCII (ESC, CR, LF, NUL, DEL, non-ASCII) becomes {@code \xHH}, and {@code "} and {@code
 * \} are backslash-escaped, so a value quoted as {@code key="..."} can neither end its quotes nor
 * split the line and forge fields. Pure; any thread.
 */
public final class LogValues {
  private LogValues() {}

  /** {@code text} escaped; {@code "null"} for null. */
  public static String escape(@Nullable Object value) {
    String text = String.valueOf(value);
    StringBuilder b = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
      if (plain) {
        if (b != null) {
          b.append(c);
        }
        continue;
      }
      if (b == null) {
        b = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else {
        b.append(c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
      }
    }
    return b == null ? text : b.toString();
  }
}
