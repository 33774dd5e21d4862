package dev.tpp.waf.engine.runtime;

import java.util.Locale;

/** A multipart part's Content-Disposition: {@code form-data; name="a"; filename="b"}. */
record ContentDisposition(String name, String filename) {

  static ContentDisposition parse(String header, BodyData out) {
    String h = header.strip();
    if (!h.toLowerCase(Locale.ROOT).startsWith("form-data")) {
      out.flag("MULTIPART_INVALID_PART");
      return new ContentDisposition(null, null);
    }
    String name = null;
    String filename = null;
    int i = "form-data".length();
    while (i < h.length()) {
      while (i < h.length() && (h.charAt(i) == ' ' || h.charAt(i) == '\t')) {
        i++;
      }
      if (i >= h.length()) {
        break;
      }
      if (h.charAt(i) != ';') {
        out.flag("MULTIPART_MISSING_SEMICOLON");
      } else {
        i++;
      }
      while (i < h.length() && h.charAt(i) == ' ') {
        i++;
      }
      int eq = h.indexOf('=', i);
      if (eq < 0) {
        break;
      }
      String key = h.substring(i, eq).strip().toLowerCase(Locale.ROOT);
      i = eq + 1;
      StringBuilder v = new StringBuilder();
      if (i < h.length() && h.charAt(i) == '"') {
        i++;
        while (i < h.length() && h.charAt(i) != '"') {
          if (h.charAt(i) == '\\' && i + 1 < h.length() && (h.charAt(i + 1) == '"' || h.charAt(i + 1) == '\\')) {
            i++;
          }
          v.append(h.charAt(i++));
        }
        if (i >= h.length()) {
          out.flag("MULTIPART_INVALID_QUOTING");
        }
        i++;
      } else {
        while (i < h.length() && h.charAt(i) != ';' && h.charAt(i) != ' ') {
          if (h.charAt(i) == '\'' || h.charAt(i) == '"') {
            out.flag("MULTIPART_INVALID_QUOTING");
          }
          v.append(h.charAt(i++));
        }
      }
      if (key.equals("name")) {
        name = v.toString();
      } else if (key.equals("filename") || key.equals("filename*")) {
        filename = v.toString();
      }
    }
    return new ContentDisposition(name, filename);
  }
}
