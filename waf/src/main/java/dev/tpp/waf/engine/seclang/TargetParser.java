package dev.tpp.waf.engine.seclang;

import dev.tpp.waf.engine.operator.Regex;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a rule's target list ({@code ARGS|!ARGS:foo|&TX:x|REQUEST_COOKIES:/^a|b$/}). Build time
 * only.
 */
public final class TargetParser {
  private TargetParser() {}

  /** Parses a target list; throws IllegalArgumentException naming the bad variable. */
  public static List<Target> parse(String text) {
    List<Target> out = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      while (i < n && (text.charAt(i) == '|' || Character.isWhitespace(text.charAt(i)))) {
        i++;
      }
      if (i >= n) {
        break;
      }
      boolean exclude = false;
      boolean count = false;
      if (text.charAt(i) == '!') {
        exclude = true;
        i++;
      }
      if (i < n && text.charAt(i) == '&') {
        count = true;
        i++;
      }
      int start = i;
      while (i < n && text.charAt(i) != ':' && text.charAt(i) != '|') {
        i++;
      }
      String name = text.substring(start, i).trim();
      Variable variable = name.isEmpty() ? null : Variable.byName(name);
      if (variable == null) {
        throw new IllegalArgumentException(
            "unknown variable '" + name + "' in '" + text.strip() + "'");
      }
      String key = null;
      Regex keyRegex = null;
      if (i < n && text.charAt(i) == ':') {
        i++;
        int close = text.charAt(Math.min(i, n - 1)) == '/' && i < n ? closingSlash(text, i) : -1;
        if (close > 0) {
          key = text.substring(i + 1, close);
          keyRegex = Regex.compile("(?i)" + key);
          i = close + 1;
        } else if (i < n && text.charAt(i) == '\'') {
          int end = text.indexOf('\'', i + 1);
          if (end < 0) {
            throw new IllegalArgumentException("unterminated quoted key in " + text);
          }
          key = text.substring(i + 1, end);
          i = end + 1;
        } else {
          int s = i;
          while (i < n && text.charAt(i) != '|') {
            i++;
          }
          key = text.substring(s, i).trim();
        }
      }
      out.add(new Target(variable, key, keyRegex, count, exclude));
    }
    return out;
  }

  /**
   * The index of the '/' closing a /regex/ key that starts at {@code from}, or -1 when it is a
   * plain key.
   */
  private static int closingSlash(String text, int from) {
    for (int j = from + 1; j < text.length(); j++) {
      char c = text.charAt(j);
      if (c == '\\') {
        j++;
      } else if (c == '/') {
        return j + 1 == text.length() || text.charAt(j + 1) == '|' || text.charAt(j + 1) == ' '
            ? j
            : -1;
      }
    }
    return -1;
  }
}
