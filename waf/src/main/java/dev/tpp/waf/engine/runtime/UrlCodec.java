package dev.tpp.waf.engine.runtime;

/** ModSecurity's lenient URL decoding of argument names and values: invalid escapes stay as they are. */
final class UrlCodec {
  private UrlCodec() {}

  static String decode(String s) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+') {
        out.append(' ');
      } else if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
        out.append((char) (hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2))));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }
}
