package dev.tpp.waf.engine.operator;

/**
 * The {@code @validate*} operators: each "matches" when the input is NOT valid, as in ModSecurity.
 */
final class Validators {
  private Validators() {}

  static Operator byteRange(String param) {
    boolean[] allowed = new boolean[256];
    for (String part : param.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int dash = p.indexOf('-');
      try {
        int from = Integer.parseInt((dash < 0 ? p : p.substring(0, dash)).trim());
        int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).trim());
        if (from < 0 || to > 255 || from > to) {
          throw new IllegalArgumentException("bad byte range: " + p);
        }
        for (int b = from; b <= to; b++) {
          allowed[b] = true;
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad byte range: " + p, e);
      }
    }
    return (in, ctx) -> {
      for (int i = 0; i < in.length(); i++) {
        if (!allowed[in.charAt(i) & 0xFF]) {
          return true;
        }
      }
      return false;
    };
  }

  static boolean invalidUrlEncoding(String in) {
    for (int i = 0; i < in.length(); i++) {
      if (in.charAt(i) != '%') {
        continue;
      }
      if (i + 2 >= in.length()) {
        return true;
      }
      if (Character.digit(in.charAt(i + 1), 16) < 0 || Character.digit(in.charAt(i + 2), 16) < 0) {
        return true;
      }
      i += 2;
    }
    return false;
  }

  static boolean invalidUtf8(String in) {
    for (int i = 0; i < in.length(); i++) {
      int c = in.charAt(i) & 0xFF;
      if (c < 0x80) {
        continue;
      }
      int len;
      int min;
      if ((c & 0xE0) == 0xC0) {
        len = 2;
        min = 0x80;
      } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        min = 0x800;
      } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        min = 0x10000;
      } else {
        return true;
      }
      if (i + len > in.length()) {
        return true;
      }
      int cp = c & (0x7F >> len);
      for (int k = 1; k < len; k++) {
        int b = in.charAt(i + k) & 0xFF;
        if ((b & 0xC0) != 0x80) {
          return true;
        }
        cp = (cp << 6) | (b & 0x3F);
      }
      if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return true;
      }
      i += len - 1;
    }
    return false;
  }
}
