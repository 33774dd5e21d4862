package dev.tpp.waf.engine.transform;

import java.util.ArrayDeque;
import java.util.Deque;

/** Whitespace, comment, path and command-line normalising transformations. */
final class Cleaners {
  private Cleaners() {}

  /** The chars {@link #isSpace} accepts, as a table: one load per char of a long body. */
  private static final boolean[] SPACE = new boolean[256];

  /** 0 for the chars of {@link #SPACE}, 1 for the other Latin-1 chars. */
  private static final int[] KEEP = new int[256];

  static {
    for (char c : new char[] {' ', '\t', '\n', '\r', '\f', 11, 0xA0}) {
      SPACE[c] = true;
    }
    for (int c = 0; c < 256; c++) {
      KEEP[c] = SPACE[c] ? 0 : 1;
    }
  }

  static boolean isSpace(char c) {
    return c < 256 && SPACE[c];
  }

  static String trimLeft(String s) {
    int i = 0;
    while (i < s.length() && isSpace(s.charAt(i))) {
      i++;
    }
    return s.substring(i);
  }

  static String trimRight(String s) {
    int i = s.length();
    while (i > 0 && isSpace(s.charAt(i - 1))) {
      i--;
    }
    return s.substring(0, i);
  }

  static String compressWhitespace(String s) {
    if (compressed(s)) {
      return s; // the same instance keeps its cached hash for the transaction's caches
    }
    StringBuilder out = new StringBuilder(s.length());
    boolean inSpace = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isSpace(c)) {
        if (!inSpace) {
          out.append(' ');
        }
        inSpace = true;
      } else {
        out.append(c);
        inSpace = false;
      }
    }
    return out.toString();
  }

  static String removeWhitespace(String s) {
    int first = firstSpace(s);
    if (first < 0) {
      return s;
    }
    // a char[] rather than a StringBuilder: a 64 KB response body goes through here (CRS 955300)
    char[] out = new char[s.length() - 1];
    s.getChars(0, first, out, 0);
    int n = first;
    for (int i = first + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      out[n] = c; // written always, kept when not a space: no branch to mispredict on prose
      n += c < 256 ? KEEP[c] : 1;
    }
    return new String(out, 0, n);
  }

  static String replaceComments(String s) {
    if (!s.contains("/*")) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        out.append(' ');
        if (end < 0) {
          return out.toString();
        }
        i = end + 2;
      } else {
        out.append(s.charAt(i++));
      }
    }
    return out.toString();
  }

  static String removeComments(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        if (end < 0) {
          return out.toString();
        }
        i = end + 2;
      } else if (s.startsWith("<!--", i)) {
        int end = s.indexOf("-->", i + 4);
        if (end < 0) {
          return out.toString();
        }
        i = end + 3;
      } else if (s.startsWith("--", i) || s.charAt(i) == '#') {
        int end = s.indexOf('\n', i);
        if (end < 0) {
          return out.toString();
        }
        i = end;
      } else {
        out.append(s.charAt(i++));
      }
    }
    return out.toString();
  }

  static String removeCommentsChar(String s) {
    return s.replace("/*", "")
        .replace("*/", "")
        .replace("<!--", "")
        .replace("-->", "")
        .replace("--", "")
        .replace("#", "");
  }

  /**
   * ModSecurity's cmdLine: drop \ " ' ^, turn , ; and whitespace into one space, no space before /
   * or (, lowercase.
   */
  static String cmdLine(String s) {
    char[] out =
        new char[s.length()]; // never longer: a space is only added in place of a separator
    int n = 0;
    boolean space = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"', '\'', '\\', '^' -> {}
        case ' ', ',', ';', '\t', '\r', '\n' -> space = true;
        case '/', '(' -> {
          space = false;
          out[n++] = c;
        }
        default -> {
          if (space && n > 0) {
            out[n++] = ' ';
          }
          space = false;
          out[n++] = Character.toLowerCase(c);
        }
      }
    }
    return new String(out, 0, n);
  }

  static String normalisePath(String s, boolean windows) {
    String in = windows ? s.replace('\\', '/') : s;
    if (in.indexOf('/') < 0 && !in.equals(".")) {
      return in; // one segment (or none): nothing to normalise
    }
    boolean absolute = in.startsWith("/");
    boolean trailing = in.endsWith("/") || in.endsWith("/.") || in.endsWith("/..");
    Deque<String> parts = new ArrayDeque<>();
    int start = 0;
    while (start <= in.length()) {
      int slash = in.indexOf('/', start);
      if (slash < 0) {
        slash = in.length();
      }
      String seg = in.substring(start, slash);
      start = slash + 1;
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        if (!parts.isEmpty() && !parts.peekLast().equals("..")) {
          parts.removeLast();
        } else if (!absolute) {
          parts.addLast("..");
        }
      } else {
        parts.addLast(seg);
      }
    }
    StringBuilder out = new StringBuilder(absolute ? "/" : "");
    out.append(String.join("/", parts));
    if (trailing && !parts.isEmpty()) {
      out.append('/');
    }
    return out.toString();
  }

  /** Whether compressWhitespace would change nothing: only single ' ' as whitespace. */
  private static boolean compressed(String s) {
    boolean previousSpace = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean space = isSpace(c);
      if (space && (c != ' ' || previousSpace)) {
        return false;
      }
      previousSpace = space;
    }
    return true;
  }

  private static int firstSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (isSpace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
