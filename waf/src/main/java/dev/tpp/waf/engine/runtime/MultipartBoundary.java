package dev.tpp.waf.engine.runtime;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The boundary of a multipart/form-data Content-Type, with ModSecurity's checks (its {@code
 * Multipart::init}, the same in v2 and libmodsecurity3): a malformed header is a body-processor
 * error (REQBODY_ERROR, nothing parsed), odd but usable ones raise MULTIPART_BOUNDARY_QUOTED,
 * MULTIPART_BOUNDARY_WHITESPACE or MULTIPART_MISSING_SEMICOLON. Pure, apart from the flags and
 * error it records in the caller's {@link BodyData}.
 */
final class MultipartBoundary {
  private MultipartBoundary() {}

  /** The boundary, or null after recording why there is none. */
  static @Nullable String of(String contentType, BodyData out) {
    String error = check(contentType, out);
    if (error == null) {
      return boundary(contentType, out);
    }
    out.fail("Multipart: " + error);
    return null;
  }

  private static @Nullable String check(String ct, BodyData out) {
    if (ct.length() > 1024) {
      return "Invalid boundary in C-T (length).";
    }
    if (!ct.regionMatches(true, 0, "multipart/form-data", 0, 19)) {
      return "Invalid MIME type.";
    }
    if (countParams(ct) > 1) {
      return "Multiple boundary parameters in C-T.";
    }
    int at = ct.indexOf("boundary");
    if (at < 0) {
      return countParams(ct) > 0
          ? "Invalid boundary in C-T (case sensitivity)."
          : "Boundary not found in C-T.";
    }
    boolean semicolon = false;
    for (int i = 19; i < at; i++) {
      char c = ct.charAt(i);
      if (isSpace(c)) {
        continue;
      }
      if (c != ';' || semicolon) {
        return "Invalid boundary in C-T (malformed).";
      }
      semicolon = true;
    }
    if (!semicolon) {
      out.flag("MULTIPART_MISSING_SEMICOLON");
    }
    int eq = ct.indexOf('=', at + 8);
    if (eq < 0) {
      return "Invalid boundary in C-T (malformed).";
    }
    for (int i = at + 8; i < eq; i++) {
      if (!isSpace(ct.charAt(i))) {
        return "Invalid boundary in C-T (parameter name).";
      }
      out.flag("MULTIPART_BOUNDARY_WHITESPACE");
    }
    String b = ct.substring(eq + 1);
    if (!b.isEmpty() && isSpace(b.charAt(0))) {
      out.flag("MULTIPART_BOUNDARY_WHITESPACE");
    }
    boolean quoted = b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"");
    if (!quoted && (b.startsWith("\"") || b.length() >= 2 && b.endsWith("\""))) {
      return "Invalid boundary in C-T (quote).";
    }
    String value = quoted ? b.substring(1, b.length() - 1) : b;
    if (value.isEmpty()) {
      return "Invalid boundary in C-T (empty).";
    }
    if (countParams(value) != 0) {
      return "Invalid boundary in C-T (content).";
    }
    if (!valid(trimmed(value))) {
      return "Invalid boundary in C-T (characters).";
    }
    return null;
  }

  private static String boundary(String ct, BodyData out) {
    String b = ct.substring(ct.indexOf('=', ct.indexOf("boundary") + 8) + 1);
    boolean quoted = b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"");
    if (quoted) {
      out.flag("MULTIPART_BOUNDARY_QUOTED");
    }
    return trimmed(quoted ? b.substring(1, b.length() - 1) : b);
  }

  /**
   * Frameworks that add "; charset=..." after the boundary are tolerated: it is cut there when
   * invalid.
   */
  private static String trimmed(String value) {
    int semi = value.indexOf(';');
    return !valid(value) && semi >= 0 ? value.substring(0, semi) : value;
  }

  private static boolean valid(String boundary) {
    for (int i = 0; i < boundary.length(); i++) {
      char c = boundary.charAt(i);
      if (c < 32 || c > 126 || "()<>@,;:\\\"/[]?=".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** How many times "boundary" (any case) appears followed, somewhere after it, by '='. */
  private static int countParams(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    int count = 0;
    for (int at = lower.indexOf("boundary"); at >= 0; at = lower.indexOf("boundary", at + 8)) {
      if (lower.indexOf('=', at + 8) >= 0) {
        count++;
      }
    }
    return count;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
  }
}
