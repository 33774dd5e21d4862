package dev.tpp.waf.engine.libinjection;

import dev.tpp.waf.engine.libinjection.Html5Tokenizer.Start;
import dev.tpp.waf.engine.libinjection.Html5Tokenizer.Type;

/**
 * {@code @detectXSS}: a port of libinjection's {@code libinjection_xss} ({@code
 * libinjection_xss.c}, the copy in Debian 12's libmodsecurity3, libinjection commit bfba51f). The
 * input is tokenized by {@link Html5Tokenizer} as HTML starting in five states (text, and inside an
 * unquoted, single-, double- or back-quoted attribute value); it is XSS when a token is a doctype,
 * a black tag ({@link XssNames#isBlackTag}), a value given to a black attribute ({@link
 * XssNames#attributeType}: event handlers, style, xmlns/xlink, URL attributes holding a
 * javascript:, vbscript:, data: or view-source: URL), or a comment IE or XML would act on.
 * Stateless; called concurrently by pool threads, each call owning its tokenizers.
 *
 * <p>Ported from libinjection, Copyright (c) 2012-2016 Nick Galbreath, BSD-3-Clause (see
 * NOTICE-libinjection.txt in this package's resources).
 */
public final class XssDetector {
  private static final Start[] STARTS = Start.values();

  private XssDetector() {}

  /**
   * Whether {@code input} (one char per byte) looks like XSS in any of libinjection's five start
   * states.
   */
  public static boolean isXss(String input) {
    if (input == null) {
      return false;
    }
    for (Start start : STARTS) {
      if (isXss(input, start)) {
        return true;
      }
    }
    return false;
  }

  /** {@code libinjection_is_xss}: one scan from {@code start}. */
  static boolean isXss(String s, Start start) {
    Html5Tokenizer h5 = new Html5Tokenizer(s, start);
    XssNames.Attr attr = XssNames.Attr.NONE;
    while (h5.next()) {
      Type type = h5.tokenType();
      int from = h5.tokenStart();
      int len = h5.tokenLength();
      if (type != Type.ATTR_VALUE) {
        attr = XssNames.Attr.NONE;
      }
      switch (type) {
        case DOCTYPE:
          return true;
        case TAG_NAME_OPEN:
          if (XssNames.isBlackTag(s, from, len)) {
            return true;
          }
          break;
        case ATTR_NAME:
          attr = XssNames.attributeType(s, from, len);
          break;
        case ATTR_VALUE:
          if (blackValue(attr, s, from, len)) {
            return true;
          }
          attr = XssNames.Attr.NONE;
          break;
        case TAG_COMMENT:
          if (blackComment(s, from, len)) {
            return true;
          }
          break;
        default:
          break;
      }
    }
    return false;
  }

  private static boolean blackValue(XssNames.Attr attr, String s, int from, int len) {
    return switch (attr) {
      case NONE -> false;
      case BLACK, STYLE -> true;
      case URL -> HtmlUrls.isBlackUrl(s, from, len);
      // the attribute's *name* is given in its value (SVG's attributeName)
      case INDIRECT -> XssNames.attributeType(s, from, len) != XssNames.Attr.NONE;
    };
  }

  /**
   * IE's backtick tag end, conditional comments, XML processing instructions, IE's import, XML
   * entities.
   */
  private static boolean blackComment(String s, int from, int len) {
    for (int i = from; i < from + len; i++) {
      if (s.charAt(i) == '`') {
        return true;
      }
    }
    if (len > 3) {
      char c0 = s.charAt(from);
      char c1 = s.charAt(from + 1);
      char c2 = s.charAt(from + 2);
      if (c0 == '[' && (c1 == 'i' || c1 == 'I') && (c2 == 'f' || c2 == 'F')) {
        return true;
      }
      if ((c0 == 'x' || c0 == 'X') && (c1 == 'm' || c1 == 'M') && (c2 == 'l' || c2 == 'L')) {
        return true;
      }
    }
    return len > 5
        && (XssNames.equalsIgnoringNul("IMPORT", s, from, 6)
            || XssNames.equalsIgnoringNul("ENTITY", s, from, 6));
  }
}
