package dev.tpp.waf.engine.libinjection;

/**
 * libinjection's test for a dangerous URL in an attribute value ({@code is_black_url}, {@code
 * htmlencode_startswith} and {@code html_decode_char_at} of libinjection_xss.c): after leading
 * control, space and non-ASCII bytes, the value, with numeric character references decoded and NUL
 * and newline dropped, starts with DATA, VIEW-SOURCE, JAVA or VBSCRIPT (ASCII case-insensitive).
 * Stateless; any thread.
 *
 * <p>The C code's quirks are kept: a reference's digits may run past the end of the value (the
 * decoder reads on in the input), after which the C length wraps around and the comparison reads on
 * to the end of the input; and a decoded value is compared by its low byte.
 */
final class HtmlUrls {
  private static final String[] BLACK_PREFIXES = {"DATA", "VIEW-SOURCE", "JAVA", "VBSCRIPT"};
  private static final int INVALID = 256;

  private HtmlUrls() {}

  static boolean isBlackUrl(String s, int from, int len) {
    // signed chars in C: bytes >= 0x80 are "<= 32" too
    while (len > 0 && (s.charAt(from) <= 32 || s.charAt(from) >= 127)) {
      from++;
      len--;
    }
    for (String prefix : BLACK_PREFIXES) {
      if (htmlStartsWith(prefix, s, from, len)) {
        return true;
      }
    }
    return false;
  }

  private static boolean htmlStartsWith(String prefix, String s, int from, long n) {
    int a = 0;
    int b = from;
    boolean first = true;
    long[] consumed = new long[1];
    while (n > 0) {
      if (a == prefix.length()) {
        return true;
      }
      // past the input's NUL terminator the C code reads unrelated memory: no match
      if (b > s.length()) {
        return false;
      }
      int cb = decodeAt(s, b, n, consumed);
      b += (int) consumed[0];
      n -= consumed[0];
      if (n < 0) {
        n = Long.MAX_VALUE; // size_t wrapped around
      }
      if (first && cb <= 32) {
        continue; // leading whitespace and control chars
      }
      first = false;
      if (cb == 0 || cb == '\n') {
        continue;
      }
      if (cb >= 'a' && cb <= 'z') {
        cb -= 0x20;
      }
      if (prefix.charAt(a) != (cb & 0xFF)) {
        return false;
      }
      a++;
    }
    return a == prefix.length();
  }

  private static char at(String s, int i) {
    return i < s.length() ? s.charAt(i) : 0;
  }

  /**
   * {@code html_decode_char_at}: the char at {@code b}, or the value of the {@code &#..;} reference
   * there.
   */
  private static int decodeAt(String s, int b, long len, long[] consumed) {
    consumed[0] = 1;
    char c = at(s, b);
    if (c != '&' || len < 2) {
      return c;
    }
    if (at(s, b + 1) != '#') {
      return '&'; // named entities do not matter here
    }
    boolean hex = at(s, b + 2) == 'x' || at(s, b + 2) == 'X';
    int radix = hex ? 16 : 10;
    int i = hex ? 3 : 2;
    int val = digit(at(s, b + i), radix);
    if (val == INVALID) {
      return '&';
    }
    for (i++; i < len; i++) {
      char ch = at(s, b + i);
      if (ch == ';') {
        consumed[0] = i + 1;
        return val;
      }
      int d = digit(ch, radix);
      if (d == INVALID) {
        consumed[0] = i;
        return val;
      }
      val = val * radix + d;
      if (val > 0x1000FF) {
        return '&';
      }
    }
    consumed[0] = i;
    return val;
  }

  private static int digit(char c, int radix) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (radix == 16 && c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (radix == 16 && c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return INVALID;
  }
}
