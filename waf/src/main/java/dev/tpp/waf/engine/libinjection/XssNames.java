package dev.tpp.waf.engine.libinjection;

import java.util.List;

/**
 * libinjection's XSS name tables ({@code BLACKTAG}, {@code BLACKATTR} of libinjection_xss.c) and
 * its comparison {@code cstrcasecmp_with_null}: ASCII case-insensitive, NUL bytes in the input
 * ignored, as old browsers ignore them. Immutable; any thread.
 */
final class XssNames {
  /** What a value given to an attribute means ({@code attribute_t}). */
  enum Attr {
    NONE,
    BLACK,
    URL,
    STYLE,
    INDIRECT
  }

  private record Named(String name, Attr type) {}

  private static final List<String> BLACK_TAGS =
      List.of(
          "APPLET",
          "BASE",
          "COMMENT",
          "EMBED",
          "FRAME",
          "FRAMESET",
          "HANDLER",
          "IFRAME",
          "IMPORT",
          "ISINDEX",
          "LINK",
          "LISTENER",
          "META",
          "NOSCRIPT",
          "OBJECT",
          "SCRIPT",
          "STYLE",
          "VMLFRAME",
          "XML",
          "XSS");

  private static final List<Named> BLACK_ATTRS =
      List.of(
          new Named("ACTION", Attr.URL),
          new Named("ATTRIBUTENAME", Attr.INDIRECT),
          new Named("BY", Attr.URL),
          new Named("BACKGROUND", Attr.URL),
          new Named("DATAFORMATAS", Attr.BLACK),
          new Named("DATASRC", Attr.BLACK),
          new Named("DYNSRC", Attr.URL),
          new Named("FILTER", Attr.STYLE),
          new Named("FORMACTION", Attr.URL),
          new Named("FOLDER", Attr.URL),
          new Named("FROM", Attr.URL),
          new Named("HANDLER", Attr.URL),
          new Named("HREF", Attr.URL),
          new Named("LOWSRC", Attr.URL),
          new Named("POSTER", Attr.URL),
          new Named("SRC", Attr.URL),
          new Named("STYLE", Attr.STYLE),
          new Named("TO", Attr.URL),
          new Named("VALUES", Attr.URL),
          new Named("XLINK:HREF", Attr.URL));

  private XssNames() {}

  /** {@code is_black_tag}: a listed tag, or any name starting with svg or xsl. */
  static boolean isBlackTag(String s, int from, int len) {
    if (len < 3) {
      return false;
    }
    for (String tag : BLACK_TAGS) {
      if (equalsIgnoringNul(tag, s, from, len)) {
        return true;
      }
    }
    return startsWithRaw(s, from, 's', 'v', 'g') || startsWithRaw(s, from, 'x', 's', 'l');
  }

  /**
   * {@code is_black_attr}: names of five chars or more starting with "on" (event handlers; shorter
   * ones such as {@code on=} in URLs are not), xmlns and xlink names, then the listed attributes.
   */
  static Attr attributeType(String s, int from, int len) {
    if (len < 2) {
      return Attr.NONE;
    }
    if (len >= 5) {
      char c0 = s.charAt(from);
      char c1 = s.charAt(from + 1);
      if ((c0 == 'o' || c0 == 'O') && (c1 == 'n' || c1 == 'N')) {
        return Attr.BLACK;
      }
      if (equalsIgnoringNul("XMLNS", s, from, 5) || equalsIgnoringNul("XLINK", s, from, 5)) {
        return Attr.BLACK;
      }
    }
    for (Named attr : BLACK_ATTRS) {
      if (equalsIgnoringNul(attr.name(), s, from, len)) {
        return attr.type();
      }
    }
    return Attr.NONE;
  }

  /**
   * {@code cstrcasecmp_with_null(upper, s + from, n)}: the n chars at {@code from}, without their
   * NULs and with a-z upper-cased, are exactly {@code upper}.
   */
  static boolean equalsIgnoringNul(String upper, String s, int from, int n) {
    int a = 0;
    for (int i = from; i < from + n; i++) {
      char c = s.charAt(i);
      if (c == 0) {
        continue;
      }
      if (c >= 'a' && c <= 'z') {
        c -= 0x20;
      }
      if (a >= upper.length() || upper.charAt(a) != c) {
        return false;
      }
      a++;
    }
    return a == upper.length();
  }

  private static boolean startsWithRaw(String s, int from, char c0, char c1, char c2) {
    return asciiLower(s.charAt(from)) == c0
        && asciiLower(s.charAt(from + 1)) == c1
        && asciiLower(s.charAt(from + 2)) == c2;
  }

  private static char asciiLower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 0x20) : c;
  }
}
