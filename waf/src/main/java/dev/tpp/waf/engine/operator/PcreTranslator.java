package dev.tpp.waf.engine.operator;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Rewrites PCRE syntax that RE2 rejects but can express: possessive quantifiers become greedy,
 * {@code \Z} becomes an optional final newline then end of text, {@code (?<name>} becomes {@code
 * (?P<name>}, {@code \e} becomes its character, {@code \s}, {@code \h} and {@code \v} become the
 * classes PCRE means by them. Lookaround and backreferences are left alone (RE2 then refuses and
 * {@link Regex} falls back).
 */
final class PcreTranslator {
  private static final Pattern QUANTIFIER = Pattern.compile("\\{\\d+(?:,\\d*)?}");

  private PcreTranslator() {}

  /** Whether the pattern uses a possessive quantifier (outside classes, unescaped). */
  static boolean hasPossessive(String p) {
    boolean[] seen = new boolean[1];
    translate(p, seen);
    return seen[0];
  }

  /**
   * PCRE class syntax java.util.regex reads differently: a '[' inside a class is literal in PCRE
   * but opens a nested class in Java, '&&' is an intersection in Java, and POSIX classes need
   * Java's names.
   */
  static String toJava(String p) {
    StringBuilder out = new StringBuilder(p.length() + 8);
    boolean inClass = false;
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '\\' && i + 1 < p.length()) {
        out.append(c).append(p.charAt(++i));
        continue;
      }
      if (!inClass) {
        if (c == '[') {
          inClass = true;
          out.append(c);
          if (i + 1 < p.length() && p.charAt(i + 1) == '^') {
            out.append(p.charAt(++i));
          }
          if (i + 1 < p.length() && p.charAt(i + 1) == ']') {
            out.append("\\]");
            i++;
          }
        } else if (c == '{' && !QUANTIFIER.matcher(p).region(i, p.length()).lookingAt()) {
          out.append(
              "\\{"); // PCRE reads a brace that opens no quantifier as a literal, Java refuses it
        } else {
          out.append(c);
        }
        continue;
      }
      if (c == '[' && p.startsWith("[:", i) && p.indexOf(":]", i + 2) > 0) {
        int end = p.indexOf(":]", i + 2);
        out.append(posix(p.substring(i + 2, end)));
        i = end + 1;
      } else if (c == '[' || (c == '&' && i + 1 < p.length() && p.charAt(i + 1) == '&')) {
        out.append('\\').append(c);
      } else {
        if (c == ']') {
          inClass = false;
        }
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String posix(String name) {
    return switch (name) {
      case "alpha" -> "\\p{Alpha}";
      case "digit" -> "\\d";
      case "alnum" -> "\\p{Alnum}";
      case "space" -> "\\s";
      case "upper" -> "\\p{Upper}";
      case "lower" -> "\\p{Lower}";
      case "punct" -> "\\p{Punct}";
      case "xdigit" -> "\\p{XDigit}";
      case "word" -> "\\w";
      default -> "\\p{" + Character.toUpperCase(name.charAt(0)) + name.substring(1) + "}";
    };
  }

  /**
   * PCRE's meaning of {@code \s \S \h \v} without UTF mode (as ModSecurity compiles): {@code \s}
   * includes the vertical tab (RE2's does not), {@code \h} is tab, space and 0xA0, {@code \v} is
   * LF, VT, FF, CR and 0x85 (RE2's is the vertical tab alone). Null for any other escape, and for
   * {@code \H}, {@code \V} inside a class (RE2 cannot subtract; CRS writes neither).
   */
  private static @Nullable String pcreClass(char n, boolean inClass) {
    String set =
        switch (n) {
          case 's', 'S' -> "\\t-\\r ";
          case 'h', 'H' -> "\\t \\xa0";
          case 'v', 'V' -> "\\n-\\r\\x85";
          default -> null;
        };
    if (set == null) {
      return null;
    }
    if (Character.isLowerCase(n)) {
      return inClass ? set : "[" + set + "]";
    }
    if (!inClass) {
      return "[^" + set + "]";
    }
    return n == 'S' ? "\\x00-\\x08\\x0e-\\x1f!-\\x{10FFFF}" : null;
  }

  static String toRe2(String p) {
    return translate(p, new boolean[1]);
  }

  private static String translate(String p, boolean[] possessiveSeen) {
    StringBuilder out = new StringBuilder(p.length() + 8);
    boolean inClass = false;
    boolean lastWasQuantifier = false;
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '\\' && i + 1 < p.length()) {
        char n = p.charAt(++i);
        String cls = pcreClass(n, inClass);
        if (n == 'Z' && !inClass) {
          out.append("(?:\\n?\\z)");
        } else if (cls != null) {
          out.append(cls);
        } else if (n == 'e') {
          out.append("\\x1b");
        } else {
          out.append('\\').append(n);
        }
        lastWasQuantifier = false;
        continue;
      }
      if (inClass) {
        if (c == ']') {
          inClass = false;
        }
        out.append(c);
        continue;
      }
      if (c == '[') {
        inClass = true;
        out.append(c);
        if (i + 1 < p.length() && p.charAt(i + 1) == '^') {
          out.append(p.charAt(++i));
        }
        if (i + 1 < p.length() && p.charAt(i + 1) == ']') {
          out.append("\\]"); // a leading ']' is literal in PCRE
          i++;
        }
        lastWasQuantifier = false;
        continue;
      }
      if (c == '+' && lastWasQuantifier) {
        possessiveSeen[0] = true;
        lastWasQuantifier =
            false; // possessive: RE2 has no backtracking to forbid, greedy is the same language
        continue;
      }
      if (c == '('
          && p.startsWith("(?<", i)
          && i + 3 < p.length()
          && p.charAt(i + 3) != '='
          && p.charAt(i + 3) != '!') {
        out.append("(?P<");
        i += 2;
        lastWasQuantifier = false;
        continue;
      }
      boolean groupQuestion =
          c == '?' && i > 0 && p.charAt(i - 1) == '(' && (i < 2 || p.charAt(i - 2) != '\\');
      lastWasQuantifier = !groupQuestion && (c == '*' || c == '+' || c == '?' || c == '}');
      out.append(c);
    }
    return out.toString();
  }
}
