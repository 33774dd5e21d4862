package dev.tpp.waf.engine.runtime;

import org.jspecify.annotations.Nullable;

/**
 * A multipart part's Content-Disposition ({@code form-data; name="a"; filename="b"}), read as
 * ModSecurity's {@code parse_content_disposition} reads it (v2 and libmodsecurity3): {@code error}
 * is its negative code when the header is invalid (a body-processor error: parsing stops there), 0
 * otherwise. Only {@code name}, {@code filename} and {@code filename*} are understood; single
 * quotes and a stray quote after a value raise MULTIPART_INVALID_QUOTING. Pure, apart from the flag
 * it records in the caller's {@link BodyData}.
 */
record ContentDisposition(@Nullable String name, @Nullable String filename, int error) {
  private static final String MIME_CHARSET_SPECIAL = "!#$%&+-^_`{}~";
  private static final String ATTR_CHAR_SPECIAL = "!#$&+-.^_`~";

  static ContentDisposition parse(String header, BodyData out) {
    String h = header.strip();
    if (!h.startsWith("form-data")) {
      return failed(-1);
    }
    int p = skipBlanks(h, 9);
    if (p == h.length()) {
      return new ContentDisposition(null, null, 0);
    }
    if (h.charAt(p) != ';') {
      return failed(-2);
    }
    p++;
    String name = null;
    String filename = null;
    String filenameStar = null;
    while (p < h.length()) {
      p = skipBlanks(h, p);
      if (p == h.length()) {
        return failed(-3);
      }
      int start = p;
      while (p < h.length() && "= \t".indexOf(h.charAt(p)) < 0) {
        p++;
      }
      if (p == h.length()) {
        return failed(-4);
      }
      String param = h.substring(start, p);
      p = skipBlanks(h, p);
      if (p == h.length()) {
        return failed(-5);
      }
      if (h.charAt(p) != '=') {
        return failed(-13);
      }
      p = skipBlanks(h, p + 1);
      if (p == h.length()) {
        return failed(-6);
      }
      StringBuilder value = new StringBuilder();
      char quote = 0;
      if (param.equals("filename*")) {
        int end = extendedValue(h, p, value);
        if (end < 0) {
          return failed(end);
        }
        p = end;
      } else if (h.charAt(p) == '"' || h.charAt(p) == '\'') {
        quote = h.charAt(p++);
        if (quote == '\'') {
          out.flag("MULTIPART_INVALID_QUOTING");
        }
        if (p == h.length()) {
          return failed(-7);
        }
        while (p < h.length() && h.charAt(p) != quote) {
          if (h.charAt(p) == '\\') {
            if (p + 1 == h.length()) {
              return failed(-8);
            }
            if (h.charAt(p + 1) == quote || h.charAt(p + 1) == '\\') {
              p++;
            }
          }
          value.append(h.charAt(p++));
        }
        // no closing quote: the C code steps past the value's end (undefined; usually accepted as
        // read so far)
        if (p < h.length()) {
          p++;
        }
      } else {
        while (p < h.length() && isTokenChar(h.charAt(p))) {
          value.append(h.charAt(p++));
        }
      }
      if (param.equals("name") || param.equals("filename")) {
        if (quote != '"' && value.indexOf("'") >= 0) {
          out.flag("MULTIPART_INVALID_QUOTING");
        }
        if (param.equals("name") && name != null) {
          return failed(-14);
        }
        if (param.equals("filename") && filename != null) {
          return failed(-15);
        }
        if (param.equals("name")) {
          name = value.toString();
        } else {
          filename = value.toString();
        }
      } else if (param.equals("filename*")) {
        if (filenameStar != null) {
          return failed(-20);
        }
        filenameStar = value.toString();
      } else {
        return failed(-11);
      }
      p = skipBlanks(h, p);
      if (p < h.length()) {
        if (h.charAt(p) != ';') {
          if (h.charAt(p - 1) == '\'' || h.charAt(p - 1) == '"') {
            out.flag("MULTIPART_INVALID_QUOTING");
          }
          return failed(-12);
        }
        p++;
      }
    }
    if (filenameStar != null && filename == null) {
      return failed(-21);
    }
    return new ContentDisposition(name, filename, 0);
  }

  /**
   * RFC 5987's {@code charset'[language]'value}; the end of the value, or a negative error code.
   */
  private static int extendedValue(String h, int p, StringBuilder value) {
    int start = p;
    while (p < h.length()
        && (Character.isLetterOrDigit(h.charAt(p)) && h.charAt(p) < 0x80
            || MIME_CHARSET_SPECIAL.indexOf(h.charAt(p)) >= 0)) {
      p++;
    }
    if (p == h.length() || h.charAt(p) != '\'' || p == start) {
      return -16;
    }
    p = h.indexOf('\'', p + 1);
    if (p < 0) {
      return -17;
    }
    start = ++p;
    while (p < h.length() && h.charAt(p) != ';') {
      char c = h.charAt(p);
      if (c == '%') {
        if (p + 2 >= h.length() || !isHex(h.charAt(p + 1)) || !isHex(h.charAt(p + 2))) {
          return -18;
        }
        p += 3;
      } else if (Character.isLetterOrDigit(c) && c < 0x80 || ATTR_CHAR_SPECIAL.indexOf(c) >= 0) {
        p++;
      } else {
        return -19;
      }
    }
    value.append(h, start, p);
    return p;
  }

  private static ContentDisposition failed(int code) {
    return new ContentDisposition(null, null, code);
  }

  private static int skipBlanks(String h, int p) {
    while (p < h.length() && (h.charAt(p) == ' ' || h.charAt(p) == '\t')) {
      p++;
    }
    return p;
  }

  private static boolean isTokenChar(char c) {
    return c > 32 && c < 127 && "()<>@,;:\\\"/[]?=".indexOf(c) < 0;
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0 && c < 0x80;
  }
}
