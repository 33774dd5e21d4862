package dev.tpp.waf.engine.libinjection;

/**
 * libinjection_sqli_not_whitelist: second thoughts on a blacklisted fingerprint of two or three
 * tokens, which are often benign ("1 --", "a#", "'a' or 'b'"). Returns true when the input still
 * counts as SQL injection.
 */
final class SqliWhitelist {
  private SqliWhitelist() {}

  static boolean notWhitelisted(SqlTokenizer t, char[] fp, int len) {
    if (len > 1 && fp[len - 1] == 'c' && t.s.contains("sp_password")) {
      return true;
    }
    SqlToken[] tv = t.tokens;
    if (len == 2) {
      return twoTokens(t, fp, tv);
    }
    if (len == 3) {
      return threeTokens(t, fp, tv);
    }
    return true;
  }

  private static boolean twoTokens(SqlTokenizer t, char[] fp, SqlToken[] tv) {
    if (fp[1] == 'U') {
      return t.statsTokens != 2; // a lone "x UNION"
    }
    if (tv[1].val[0] == '#') {
      return false;
    }
    if (tv[0].type == 'n' && tv[1].type == 'c' && tv[1].val[0] != '/') {
      return false;
    }
    if (tv[0].type == '1' && tv[1].type == 'c') {
      if (tv[1].val[0] == '/') {
        return true;
      }
      if (t.statsTokens > 2) {
        return true;
      }
      // a number right before the comment, as in "1--" vs "1-- " ... C reads past the number in the
      // raw input
      char ch = t.at(tv[0].len);
      if (ch <= 32 || (ch >= 0x80 && ch <= 0xff)) {
        return true; // C compares a signed char
      }
      if (ch == '/' && t.at(tv[0].len + 1) == '*') {
        return true;
      }
      return ch == '-' && t.at(tv[0].len + 1) == '-';
    }
    return !(tv[1].len > 2 && tv[1].val[0] == '-');
  }

  private static boolean threeTokens(SqlTokenizer t, char[] fp, SqlToken[] tv) {
    if (is(fp, "sos") || is(fp, "s&s")) {
      // 'a' or 'b' is SQLi only when it closes the literal it started in and opens one it leaves
      // open
      return tv[0].strOpen == 0 && tv[2].strClose == 0 && tv[0].strClose == tv[2].strOpen;
    }
    if (is(fp, "s&n") || is(fp, "n&1") || is(fp, "1&1") || is(fp, "1&v") || is(fp, "1&s")) {
      return t.statsTokens != 3;
    }
    if (tv[1].type == 'k') {
      return tv[1].len >= 5 && startsWithInto(tv[1]);
    }
    return true;
  }

  private static boolean startsWithInto(SqlToken tok) {
    String into = "INTO";
    for (int i = 0; i < 4; i++) {
      if (into.charAt(i) != SqlKeywords.upper(tok.val[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean is(char[] fp, String s) {
    return fp[0] == s.charAt(0) && fp[1] == s.charAt(1) && fp[2] == s.charAt(2);
  }
}
