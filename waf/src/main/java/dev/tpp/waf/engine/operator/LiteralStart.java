package dev.tpp.waf.engine.operator;

/**
 * The literal text every match of a java.util.regex pattern begins with, when the pattern shows one
 * plainly (leading ordinary or escaped punctuation characters, no alternation at the top level):
 * {@code <\?(?!xml)} begins with {@code <?}. A text without it cannot match, which {@link
 * String#indexOf} tells far faster than the matcher trying each position of a 64 KB response body.
 * Computed once per pattern; pure.
 */
final class LiteralStart {
  private static final String META = "\\^$.|?*+()[]{}";

  private LiteralStart() {}

  /** The literal start of {@code javaRegex} (compiled without CASE_INSENSITIVE), or "" if none. */
  static String of(String javaRegex) {
    if (hasTopLevelAlternation(javaRegex)) {
      return "";
    }
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < javaRegex.length()) {
      char c = javaRegex.charAt(i);
      int width = 1;
      if (c == '\\' && i + 1 < javaRegex.length() && isEscapedLiteral(javaRegex.charAt(i + 1))) {
        c = javaRegex.charAt(i + 1);
        width = 2;
      } else if (c > 0x7e || c < 0x20 || META.indexOf(c) >= 0 || c == '#' || c == ' ') {
        break; // a construct, or a character whose meaning could depend on flags
      }
      if (i + width < javaRegex.length() && "?*+{".indexOf(javaRegex.charAt(i + width)) >= 0) {
        break; // quantified: it may be absent or repeated
      }
      literal.append(c);
      i += width;
    }
    return literal.toString();
  }

  /** Punctuation after a backslash stands for itself; letters and digits name classes etc. */
  private static boolean isEscapedLiteral(char c) {
    return c >= 0x21 && c <= 0x7e && !Character.isLetterOrDigit(c);
  }

  private static boolean hasTopLevelAlternation(String regex) {
    int depth = 0;
    int classDepth = 0;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i++; // the escaped character, whatever it is
      } else if (c == '[') {
        classDepth++;
      } else if (c == ']' && classDepth > 0) {
        classDepth--;
      } else if (classDepth == 0 && c == '(') {
        depth++;
      } else if (classDepth == 0 && c == ')') {
        depth--;
      } else if (classDepth == 0 && depth == 0 && c == '|') {
        return true;
      }
    }
    return false;
  }
}
