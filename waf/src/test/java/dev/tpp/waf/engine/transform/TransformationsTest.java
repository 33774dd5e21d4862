package dev.tpp.waf.engine.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TransformationsTest {

  private static String t(String name, String input) {
    return Transformations.byName(name).orElseThrow().apply(input);
  }

  @Test
  void urlDecodeKeepsInvalidEscapesAndTurnsPlusIntoSpace() {
    assertEquals("a b<%zz%4", t("urlDecode", "a+b%3c%zz%4"));
  }

  @Test
  void urlDecodeUniMapsFullWidthBackToAscii() {
    assertEquals("<script", t("urlDecodeUni", "%uff1cscript"));
    assertEquals("A", t("urlDecodeUni", "%u0041"));
  }

  @Test
  void htmlEntityDecodeHandlesNamedDecimalHexAndMissingSemicolon() {
    assertEquals("<a>\"&x", t("htmlEntityDecode", "&lt;a&#62&quot;&amp;&#x78;"));
  }

  @Test
  void jsDecodeHandlesHexUnicodeOctalAndSimpleEscapes() {
    assertEquals("<A>\n\u0001", t("jsDecode", "\\x3c\\u0041>\\n\\1"));
  }

  @Test
  void cssDecodeHandlesHexWithTrailingSpaceAndPlainEscapes() {
    assertEquals("javascript", t("cssDecode", "j\\61 vascri\\pt"));
  }

  @Test
  void cmdLineNormalisesLikeModSecurity() {
    assertEquals("cat/etc/passwd", t("cmdLine", "c^a\"t  '/etc/pa'sswd"));
    assertEquals("echo(1)", t("cmdLine", "ECHO (1)"));
    assertEquals("ls -la", t("cmdLine", ";;LS,\t-la;"));
  }

  @Test
  void whitespaceTransformations() {
    assertEquals(" a b ", t("compressWhitespace", "\t a \n\r b  "));
    assertEquals("ab", t("removeWhitespace", " a\tb\n"));
    assertEquals("a b", t("trim", "  a b \t"));
    assertEquals("a ", t("trimLeft", "  a "));
    assertEquals(" a", t("trimRight", " a  "));
    assertEquals("a b", t("compressWhitespace", "a\u00a0b"));
    assertEquals("a b", t("compressWhitespace", "a b"));
    assertEquals("ab", t("removeWhitespace", "ab"));
  }

  @Test
  void nullAndCommentTransformations() {
    assertEquals("ab", t("removeNulls", "a\0b"));
    assertEquals("a b", t("replaceNulls", "a\0b"));
    assertEquals("select 1", t("replaceComments", "select/*x*/1"));
    assertEquals("a ", t("replaceComments", "a/*open"));
    assertEquals("a*/b", t("replaceComments", "a*/b"));
    assertEquals("select1", t("removeCommentsChar", "select/*1"));
    assertEquals("select ", t("removeComments", "select -- rest"));
  }

  @Test
  void normalisePathRemovesDotSegments() {
    assertEquals("/etc/passwd", t("normalisePath", "/a/../etc/./passwd"));
    assertEquals("/etc/passwd", t("normalizePathWin", "\\a\\..\\etc\\passwd"));
    assertEquals("", t("normalisePath", "."));
    assertEquals("..", t("normalisePath", ".."));
    assertEquals("", t("normalisePath", ""));
    assertEquals("plain words", t("normalisePath", "plain words"));
    assertEquals("a/b", t("normalizePathWin", "a\\b"));
  }

  @Test
  void codecTransformations() {
    assertEquals("hello", t("base64Decode", "aGVsbG8="));
    assertEquals("hello", t("base64DecodeExt", "aGV.sbG8"));
    assertEquals("AB", t("hexDecode", "4142"));
    assertEquals("4142", t("hexEncode", "AB"));
    assertEquals("abc", t("sqlHexDecode", "0x616263"));
    assertEquals("a%u00e9", t("utf8toUnicode", "a\u00c3\u00a9"));
    // libmodsecurity3 3.0.9's own outputs, quirks included (ModsecDifferentialTest found the difference)
    assertEquals("%u002e\u00c0%u002f\u00c0etc", t("utf8toUnicode", "\u00c0\u00ae\u00c0\u00afetc"));
    assertEquals("%u1f600", t("utf8toUnicode", "\u00f0\u009f\u0098\u0080"));
    assertEquals("\u00f5%u140000", t("utf8toUnicode", "\u00f5\u0080\u0080\u0080"));
    assertEquals("x", t("utf8toUnicode", "\u00c3x"));
    assertEquals("ab", t("utf8toUnicode", "a\u0000b"));
    assertEquals("\u0080a", t("utf8toUnicode", "\u0080a"));
    assertEquals("\n'", t("escapeSeqDecode", "\\n\\'"));
  }

  @Test
  void caseLengthAndDigests() {
    assertEquals("abc", t("lowercase", "AbC"));
    assertEquals("ABC", t("uppercase", "aBc"));
    assertEquals("3", t("length", "abc"));
    assertEquals(20, t("sha1", "x").length());
    assertEquals(16, t("md5", "x").length());
  }

  @Test
  void namesAreCaseInsensitiveAndUnknownNamesAreAbsent() {
    assertTrue(Transformations.byName("URLDECODEUNI").isPresent());
    assertTrue(Transformations.byName("rot13").isEmpty());
  }
}
