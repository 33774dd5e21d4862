package dev.tpp.waf.engine.transform;

/**
 * Decoding transformations, written to ModSecurity v2's behaviour (invalid escapes are left as they
 * are).
 */
final class Decoders {
  private Decoders() {}

  static int hex(char c) {
    return Character.digit(c, 16);
  }

  private static boolean isHex(String s, int from, int count) {
    if (from + count > s.length()) {
      return false;
    }
    for (int i = from; i < from + count; i++) {
      if (hex(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  private static int hexValue(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      v = v * 16 + hex(s.charAt(i));
    }
    return v;
  }

  /**
   * Low byte of a %u / \\u code point; full-width ASCII (U+FF01..U+FF5E) maps back to ASCII like
   * ModSecurity.
   */
  private static char unicodeByte(int code) {
    if (code >= 0xFF01 && code <= 0xFF5E) {
      return (char) (code - 0xFEE0);
    }
    return (char) (code & 0xFF);
  }

  static String urlDecode(String s, boolean unicode) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+') {
        out.append(' ');
      } else if (c == '%'
          && unicode
          && i + 1 < s.length()
          && (s.charAt(i + 1) | 0x20) == 'u'
          && isHex(s, i + 2, 4)) {
        out.append(unicodeByte(hexValue(s, i + 2, 4)));
        i += 5;
      } else if (c == '%' && isHex(s, i + 1, 2)) {
        out.append((char) hexValue(s, i + 1, 2));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  static String htmlEntityDecode(String s) {
    if (s.indexOf('&') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '&') {
        out.append(c);
        i++;
        continue;
      }
      int end = decodeEntity(s, i + 1, out);
      if (end < 0) {
        out.append(c);
        i++;
      } else {
        i = end < s.length() && s.charAt(end) == ';' ? end + 1 : end;
      }
    }
    return out.toString();
  }

  /**
   * Decodes the entity starting after '&' into out; returns the index after it, or -1 when there is
   * none.
   */
  private static int decodeEntity(String s, int i, StringBuilder out) {
    if (i < s.length() && s.charAt(i) == '#') {
      boolean hexForm = i + 1 < s.length() && (s.charAt(i + 1) | 0x20) == 'x';
      int start = hexForm ? i + 2 : i + 1;
      int j = start;
      while (j < s.length() && Character.digit(s.charAt(j), hexForm ? 16 : 10) >= 0) {
        j++;
      }
      if (j == start) {
        return -1;
      }
      int v = 0;
      for (int k = start; k < j; k++) {
        v = (v * (hexForm ? 16 : 10) + Character.digit(s.charAt(k), hexForm ? 16 : 10)) & 0xFFFFFF;
      }
      out.append((char) (v & 0xFF));
      return j;
    }
    int j = i;
    while (j < s.length() && Character.isLetter(s.charAt(j))) {
      j++;
    }
    String name = s.substring(i, j).toLowerCase();
    char r;
    switch (name) {
      case "quot":
        r = '"';
        break;
      case "amp":
        r = '&';
        break;
      case "lt":
        r = '<';
        break;
      case "gt":
        r = '>';
        break;
      case "nbsp":
        r = (char) 0xA0;
        break;
      default:
        return -1;
    }
    out.append(r);
    return j;
  }

  static String jsDecode(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 >= s.length()) {
        out.append(c);
        continue;
      }
      char n = s.charAt(i + 1);
      if ((n == 'u' || n == 'U') && isHex(s, i + 2, 4)) {
        out.append(unicodeByte(hexValue(s, i + 2, 4)));
        i += 5;
      } else if ((n == 'x' || n == 'X') && isHex(s, i + 2, 2)) {
        out.append((char) hexValue(s, i + 2, 2));
        i += 3;
      } else if (n >= '0' && n <= '7') {
        int j = i + 1;
        int v = 0;
        while (j < s.length() && j < i + 4 && s.charAt(j) >= '0' && s.charAt(j) <= '7') {
          v = v * 8 + (s.charAt(j++) - '0');
        }
        out.append((char) (v & 0xFF));
        i = j - 1;
      } else {
        out.append(simpleEscape(n));
        i++;
      }
    }
    return out.toString();
  }

  private static char simpleEscape(char n) {
    switch (n) {
      case 'a':
        return 7;
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'v':
        return 11;
      default:
        return n;
    }
  }

  static String escapeSeqDecode(String s) {
    return jsDecode(s);
  }

  static String cssDecode(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (i + 1 >= s.length()) {
        break;
      }
      int j = i + 1;
      while (j < s.length() && j < i + 7 && hex(s.charAt(j)) >= 0) {
        j++;
      }
      if (j > i + 1) {
        int v = hexValue(s, i + 1, j - i - 1);
        out.append(unicodeByte(v));
        if (j < s.length() && Character.isWhitespace(s.charAt(j))) {
          j++;
        }
        i = j - 1;
      } else if (s.charAt(i + 1) == '\n') {
        i++;
      } else {
        out.append(s.charAt(i + 1));
        i++;
      }
    }
    return out.toString();
  }

  static String base64Decode(String s, boolean forgiving) {
    StringBuilder clean = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isLetterOrDigit(c) && c < 128 || c == '+' || c == '/') {
        clean.append(c);
      } else if (c == '=') {
        break;
      } else if (!forgiving) {
        break;
      }
    }
    int usable = clean.length() - clean.length() % 4;
    if (clean.length() % 4 >= 2) {
      usable = clean.length();
    }
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (int i = 0; i < usable; i++) {
      buffer = (buffer << 6) | b64(clean.charAt(i));
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out.append((char) ((buffer >> bits) & 0xFF));
      }
    }
    return out.toString();
  }

  private static int b64(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    return c == '+' ? 62 : 63;
  }

  static String hexDecode(String s) {
    StringBuilder out = new StringBuilder(s.length() / 2);
    for (int i = 0; i + 1 < s.length(); i += 2) {
      if (!isHex(s, i, 2)) {
        return out.toString();
      }
      out.append((char) hexValue(s, i, 2));
    }
    return out.toString();
  }

  static String sqlHexDecode(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '0'
          && i + 3 < s.length()
          && (s.charAt(i + 1) | 0x20) == 'x'
          && isHex(s, i + 2, 2)) {
        int j = i + 2;
        while (isHex(s, j, 2)) {
          out.append((char) hexValue(s, j, 2));
          j += 2;
        }
        i = j - 1;
      } else {
        out.append(s.charAt(i));
      }
    }
    return out.toString();
  }

  /**
   * Multi-byte UTF-8 sequences become {@code %uXXXX} ({@code %uXXXXX} past U+FFFF), as
   * ModSecurity's utf8toUnicode (v2's {@code utf8_unicode_inplace_ex}, the same in libmodsecurity3)
   * does, quirks included, since rules see its output: a lead byte whose sequence is cut short or
   * broken is dropped, an overlong or surrogate sequence is converted and then followed by its lead
   * byte, a lead byte of F5 and above comes before its conversion, NUL bytes are dropped, and bytes
   * that cannot start a sequence are kept.
   */
  static String utf8ToUnicode(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); ) {
      int c = s.charAt(i) & 0xFF;
      int len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
      if (len == 1 && c != 0) {
        if (out != null) {
          out.append((char) c);
        }
        i++;
        continue;
      }
      if (out == null) {
        out = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (len == 4 && c >= 0xF5) {
        out.append((char) c);
      }
      if (len == 1 || i + len > s.length() || !continuation(s, i + 1, len - 1)) {
        i++; // NUL, or a broken sequence: its lead byte is dropped
        continue;
      }
      int d = c & (0xFF >> (len + 1));
      for (int k = 1; k < len; k++) {
        d = (d << 6) | (s.charAt(i + k) & 0x3F);
      }
      String hex = Integer.toHexString(d);
      out.append("%u").append("000", 0, Math.max(0, 4 - hex.length())).append(hex);
      if (d >= 0xD800 && d <= 0xDFFF) {
        out.append((char) c);
      }
      if (d < (len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000)) {
        out.append((char) c); // overlong
      }
      i += len;
    }
    return out == null ? s : out.toString();
  }

  private static boolean continuation(String s, int from, int count) {
    for (int i = from; i < from + count; i++) {
      if ((s.charAt(i) & 0xC0) != 0x80) {
        return false;
      }
    }
    return true;
  }
}
