package dev.tpp.waf.engine.libinjection;

import java.util.List;

/**
 * Generated XSS-shaped and benign HTML-ish inputs for {@link DifferentialCorpus}: seeded random runs of HTML
 * fragments (tag openers, black and harmless tag and attribute names, quotes of all four kinds, event handlers of
 * every length around libinjection's five-char threshold, URL schemes plain and as numeric character references,
 * every comment form the HTML5 tokenizer knows, and the bytes it treats specially: NUL, VT, 0x80, 0xA0), so that
 * every tokenizer state and every black-list check is compared with libinjection, not only the CRS payloads. The
 * same seed gives the same inputs on every run.
 */
final class XssFragmentInputs {
  private static final String[] FRAGMENTS = {"<", ">", "</", "/>", "/", "=", " ", "  ", "\t", "\n", "\r", "\u000b",
      "\f", "\0", "\"", "'", "`", "\u0080", "\u00a0", "\u00ff", "a", "b", "p", "div", "img", "script", "SCRIPT",
      "scr\0ipt", "iframe", "svg", "SVG", "svgx", "xsl", "xss", "style", "meta", "link", "base", "embed", "object",
      "applet", "frameset", "isindex", "vmlframe", "xml", "import", "comment", "noscript", "listener", "handler",
      "on", "onx", "onxy", "onxyz", "onerror", "ONLOAD", "o\0nclick", "online", "src", "href", "HREF", "action",
      "formaction", "background", "poster", "values", "to", "by", "from", "folder", "lowsrc", "dynsrc",
      "xlink:href", "xlink", "xmlns", "xmlns:x", "xmln", "attributename", "datasrc", "dataformatas", "filter",
      "class", "title", "id", "name", "value", "javascript:", "JaVaScRiPt:", "java", "jav", "vbscript:",
      "data:", "dat", "view-source:", "view-sourc", "&#", "&#x", "&#X", "&#106;", "&#x6a;", "&#x6A", "&#74",
      "&#0000106", "&#x1000000;", "&#x141;", "&amp;", "&", "#", ";", "6a", "106", ":", "alert(1)", "x", "1",
      "<!--", "-->", "--!>", "-!>", "--", "-", "<!", "!", "<?", "?>", "<%", "%>", "%", "<![CDATA[", "]]>", "]",
      "[if IE]", "[IF", "<!doctype html>", "<!DOCTYPE", "doctyp", "entity", "ENTITY", "IMPORT", "xml-stylesheet",
      "hello", "world", "search term", "a < b", "c > d", "https://example.com/path?q=1", "mailto:x", "/on=1",
      "&lt;", "%3C", "\\", "(", ")", "{", "}", "*", "@"};

  private XssFragmentInputs() {}

  static List<String> generate(long seed, int count) {
    return FragmentRuns.generate(FRAGMENTS, 12, 4, seed, count);
  }
}
