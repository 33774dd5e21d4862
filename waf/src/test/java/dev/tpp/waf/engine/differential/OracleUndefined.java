package dev.tpp.waf.engine.differential;

import dev.tpp.waf.engine.WafRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Requests on which libmodsecurity3 3.0.9's answer is undefined, so the differential test cannot
 * compare them. One case today: a multipart part whose {@code Content-Disposition} has a quoted
 * parameter value with no closing quote ({@code filename="x} followed by a line break, as a header
 * injection payload makes it). {@code Multipart::parse_content_disposition}
 * (src/request_body_processor/multipart.cc, v3.0.9) scans the quoted value up to the string's
 * terminating NUL, then steps over "the closing quote" ({@code p++}) and goes on reading past the
 * end of the string: the request gets a multipart error or not depending on what the heap holds
 * there, which differs from run to run (seen: one request logged 200002/200003 in 1 of ~20 runs of
 * the same corpus, and never when run alone).
 */
final class OracleUndefined {
  private OracleUndefined() {}

  /** Why libmodsecurity's answer to {@code r} is undefined, or null when it is not. */
  static String reason(WafRequest r) {
    if (r.body() == null || !isMultipart(r)) {
      return null;
    }
    String body = new String(r.body(), StandardCharsets.ISO_8859_1);
    String[] lines = body.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = stripCr(lines[i]);
      if (!line.regionMatches(true, 0, "content-disposition:", 0, 20)) {
        continue;
      }
      // a folded header continues on lines that start with a space or a tab; libmodsecurity joins
      // them
      StringBuilder value = new StringBuilder(line.substring(20));
      while (i + 1 < lines.length
          && !lines[i + 1].isEmpty()
          && (lines[i + 1].charAt(0) == ' ' || lines[i + 1].charAt(0) == '\t')) {
        value.append(stripCr(lines[++i]));
      }
      if (quotedValueRunsOffTheEnd(value.toString())) {
        return "an unterminated quoted Content-Disposition parameter (libmodsecurity3 reads past"
            + " the end of the header)";
      }
    }
    return null;
  }

  private static boolean isMultipart(WafRequest r) {
    for (Map.Entry<String, String> h : r.headers()) {
      if (h.getKey().equalsIgnoreCase("Content-Type")
          && h.getValue().strip().toLowerCase(Locale.ROOT).startsWith("multipart/")) {
        return true;
      }
    }
    return false;
  }

  private static String stripCr(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  /**
   * Follows parse_content_disposition's walk over {@code name=value} parameters after the first ';'
   * and answers whether a quoted value ends at the end of the string without its closing quote
   * (where the C code reads on past the NUL). Every place the C code returns an error first ends
   * the walk with false: that answer is defined.
   */
  static boolean quotedValueRunsOffTheEnd(String header) {
    int p = header.indexOf(';');
    if (p < 0) {
      return false;
    }
    int n = header.length();
    while (p < n) {
      p++; // the ';' (or what follows a value)
      while (p < n && (header.charAt(p) == ' ' || header.charAt(p) == '\t')) {
        p++;
      }
      while (p < n
          && header.charAt(p) != '='
          && header.charAt(p) != ' '
          && header.charAt(p) != '\t') {
        p++;
      }
      while (p < n && (header.charAt(p) == ' ' || header.charAt(p) == '\t')) {
        p++;
      }
      if (p >= n || header.charAt(p) != '=') {
        return false;
      }
      p++;
      while (p < n && (header.charAt(p) == ' ' || header.charAt(p) == '\t')) {
        p++;
      }
      if (p >= n) {
        return false;
      }
      char quote = header.charAt(p);
      if (quote == '"' || quote == '\'') {
        p++;
        if (p >= n) {
          return false;
        }
        while (p < n && header.charAt(p) != quote) {
          if (header.charAt(p) == '\\') {
            if (p + 1 >= n) {
              return false;
            }
            if (header.charAt(p + 1) == quote || header.charAt(p + 1) == '\\') {
              p++;
            }
          }
          p++;
        }
        if (p >= n) {
          return true;
        }
        p++;
      } else {
        while (p < n && header.charAt(p) != ';') {
          p++;
        }
        continue;
      }
      while (p < n && (header.charAt(p) == ' ' || header.charAt(p) == '\t')) {
        p++;
      }
      if (p < n && header.charAt(p) != ';') {
        return false;
      }
    }
    return false;
  }
}
