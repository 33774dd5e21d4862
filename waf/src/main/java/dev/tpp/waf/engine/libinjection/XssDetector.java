package dev.tpp.waf.engine.libinjection;

import java.util.Locale;
import java.util.Set;

/**
 * {@code @detectXSS}: libinjection's HTML5 approach. The input is scanned as HTML starting in five contexts (text,
 * and inside an unquoted, single-, double- or back-quoted attribute value); it is XSS when it opens a dangerous tag,
 * sets an event handler, style, xmlns/xlink attribute, a javascript:/vbscript:/data: URL, or a doctype or
 * conditional comment. Stateless; called concurrently by pool threads.
 */
public final class XssDetector {
  private static final Set<String> BLACK_TAGS = Set.of("applet", "base", "comment", "embed", "frame", "frameset",
      "handler", "iframe", "import", "isindex", "link", "listener", "meta", "noscript", "object", "script", "style",
      "vmlframe", "xml", "xss");
  private static final Set<String> URL_ATTRS = Set.of("action", "by", "background", "dynsrc", "formaction", "folder",
      "from", "handler", "href", "lowsrc", "poster", "src", "to", "values", "xlink:href");
  private static final Set<String> BLACK_ATTRS = Set.of("dataformatas", "datasrc", "style", "filter", "attributename");

  private XssDetector() {}

  public static boolean isXss(String input) {
    if (input == null || input.isEmpty()) {
      return false;
    }
    if (scanText(input, 0)) {
      return true;
    }
    for (char quote : new char[] {0, '\'', '"', '`'}) {
      int afterValue = skipValue(input, 0, quote);
      if (afterValue < input.length() && scanTag(input, afterValue) != 0) {
        return true;
      }
    }
    return false;
  }

  private static String clean(String s) {
    return s.replace("\0", "").toLowerCase(Locale.ROOT);
  }

  /** Scans text from {@code i}; true as soon as something dangerous shows up. */
  private static boolean scanText(String s, int i) {
    while (true) {
      int lt = s.indexOf('<', i);
      if (lt < 0 || lt + 1 >= s.length()) {
        return false;
      }
      char c = s.charAt(lt + 1);
      if (c == '!' || c == '?') {
        int from = lt + 2;
        String close = c == '!' && s.startsWith("--", from) ? "-->" : c == '!' && s.startsWith("[CDATA[", from) ? "]]>" : ">";
        if (close.length() > 1) {
          from += close.equals("-->") ? 2 : 7;
        }
        if (c == '!' && close.equals(">") && s.regionMatches(true, from, "doctype", 0, 7)) {
          return true;
        }
        int end = s.indexOf(close, from);
        // HTML5 reads <? and any other <! as a bogus comment: libinjection judges all three like a comment
        if (!close.equals("]]>") && dangerousComment(s.substring(from, end < 0 ? s.length() : end))) {
          return true;
        }
        i = end < 0 ? s.length() : end + close.length();
      } else if (Character.isLetter(c)) {
        int j = lt + 1;
        while (j < s.length() && !isSpace(s.charAt(j)) && s.charAt(j) != '/' && s.charAt(j) != '>') {
          j++;
        }
        String name = clean(s.substring(lt + 1, j));
        if (BLACK_TAGS.contains(name) || name.startsWith("svg") || name.startsWith("xsl")) {
          return true;
        }
        int after = scanTag(s, j);
        if (after != 0) {
          return after > 0;
        }
        return false;
      } else if (c == '%') {
        // IE's <% ... %> is a comment to libinjection too
        int end = s.indexOf("%>", lt + 2);
        if (dangerousComment(s.substring(lt + 2, end < 0 ? s.length() : end))) {
          return true;
        }
        i = end < 0 ? s.length() : end + 2;
      } else if (c == '/' && lt + 2 < s.length() && s.charAt(lt + 2) != '>' && !isAsciiLetter(s.charAt(lt + 2))) {
        // HTML5 (and libinjection) read "</" before anything but a letter or '>' as a bogus comment up to '>'
        int end = s.indexOf('>', lt + 2);
        if (dangerousComment(s.substring(lt + 2, end < 0 ? s.length() : end))) {
          return true;
        }
        i = end < 0 ? s.length() : end + 1;
      } else {
        i = lt + 1;
      }
    }
  }

  private static boolean isAsciiLetter(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  /** libinjection's verdict on a comment: an IE backtick, a conditional comment, an XML, import or entity header. */
  private static boolean dangerousComment(String body) {
    String b = clean(body);
    return b.indexOf('`') >= 0 || body.length() > 3 && (b.startsWith("[if") || b.startsWith("xml"))
        || body.length() > 5 && (b.startsWith("import") || b.startsWith("entity"));
  }

  /**
   * Scans attributes from {@code i} (inside a tag). Returns 1 when dangerous, -1 when the input ended inside the
   * tag, and otherwise continues scanning the text after the tag (returning 1 or 0 as that scan finds).
   */
  private static int scanTag(String s, int i) {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (isSpace(c) || c == '/' || c == '"' || c == '\'' || c == '`') {
        i++;
        continue;
      }
      if (c == '>') {
        return scanText(s, i + 1) ? 1 : 0;
      }
      int j = i;
      while (j < s.length() && !isSpace(s.charAt(j)) && "=>/".indexOf(s.charAt(j)) < 0) {
        j++;
      }
      String name = clean(s.substring(i, j));
      // like libinjection, an attribute only counts once it has a value: "online" in prose is not a handler
      boolean black = name.length() >= 5 && (name.startsWith("on") || name.startsWith("xmlns") || name.startsWith("xlink"))
          || BLACK_ATTRS.contains(name);
      while (j < s.length() && isSpace(s.charAt(j))) {
        j++;
      }
      if (j < s.length() && s.charAt(j) == '=') {
        j++;
        while (j < s.length() && isSpace(s.charAt(j))) {
          j++;
        }
        if (j >= s.length()) {
          return 0; // the input ends before a value: like libinjection, nothing was set
        }
        char q = j < s.length() && "\"'`".indexOf(s.charAt(j)) >= 0 ? s.charAt(j) : 0;
        int start = q == 0 ? j : j + 1;
        int end = skipValue(s, start, q);
        if (black || URL_ATTRS.contains(name) && blackUrl(s.substring(start, Math.min(end, s.length())))) {
          return 1;
        }
        j = q == 0 ? end : end + 1;
      }
      i = Math.max(j, i + 1);
    }
    return 0;
  }

  /** The index where an attribute value that started at {@code i} ends (the closing quote, or space/'>'). */
  private static int skipValue(String s, int i, char quote) {
    int j = i;
    if (quote == 0) {
      while (j < s.length() && !isSpace(s.charAt(j)) && s.charAt(j) != '>') {
        j++;
      }
    } else {
      while (j < s.length() && s.charAt(j) != quote) {
        j++;
      }
    }
    return j;
  }

  private static boolean blackUrl(String value) {
    int k = 0;
    while (k < value.length() && (value.charAt(k) <= 32 || value.charAt(k) >= 127)) {
      k++;
    }
    String v = clean(value.substring(k));
    return v.startsWith("javascript") || v.startsWith("vbscript") || v.startsWith("data") || v.startsWith("view-source")
        || v.startsWith("java");
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 11;
  }
}
