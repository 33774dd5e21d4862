package dev.tpp.waf.engine.libinjection;

/**
 * The literal parsers of libinjection's tokenizer: quoted strings with backslash and doubled-quote
 * escapes, E'..' and N'..', U&'..', Oracle q'[..]', PostgreSQL $$..$$ and $tag$..$tag$, money,
 * decimal and x'..'/b'..' numbers. Each reads from {@link SqlTokenizer#pos}, fills {@link
 * SqlTokenizer#current} and returns where the next token starts.
 */
final class SqlLiterals {
  private static final String LETTERS = "abcdefghjiklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  private SqlLiterals() {}

  /** Decimal, 0x/0b, 1.5e3 and 1d/1f numbers; a lone '.' is a dot, "1e" a bareword. */
  static int number(SqlTokenizer t) {
    String s = t.s;
    int slen = t.slen;
    SqlToken current = t.current;
    int p = t.pos;
    if (s.charAt(p) == '0' && p + 1 < slen) {
      char x = s.charAt(p + 1);
      String digits =
          x == 'X' || x == 'x' ? "0123456789ABCDEFabcdef" : x == 'B' || x == 'b' ? "01" : null;
      if (digits != null) {
        int xlen = t.spanIn(p + 2, digits);
        if (xlen == 0) {
          current.assign('n', p, 2, s, p);
          return p + 2;
        }
        current.assign('1', p, 2 + xlen, s, p);
        return p + 2 + xlen;
      }
    }
    int start = p;
    while (p < slen && SqlTokenizer.isDigit(s.charAt(p))) {
      p++;
    }
    if (p < slen && s.charAt(p) == '.') {
      p++;
      while (p < slen && SqlTokenizer.isDigit(s.charAt(p))) {
        p++;
      }
      if (p - start == 1) { // a lone '.'
        current.assignChar('.', start, '.');
        return p;
      }
    }
    boolean haveE = false;
    boolean haveExp = false;
    if (p < slen && (s.charAt(p) == 'E' || s.charAt(p) == 'e')) {
      haveE = true;
      p++;
      if (p < slen && (s.charAt(p) == '+' || s.charAt(p) == '-')) {
        p++;
      }
      while (p < slen && SqlTokenizer.isDigit(s.charAt(p))) {
        haveExp = true;
        p++;
      }
    }
    if (p < slen && "dDfF".indexOf(s.charAt(p)) >= 0) {
      // a float/double suffix, when a delimiter or a 'u' follows it
      if (p + 1 == slen
          || SqlTokenizer.isWhite(s.charAt(p + 1))
          || s.charAt(p + 1) == ';'
          || s.charAt(p + 1) == 'u'
          || s.charAt(p + 1) == 'U') {
        p++;
      }
    }
    current.assign(haveE && !haveExp ? 'n' : '1', start, p - start, s, start);
    return p;
  }

  /**
   * parse_string_core: a literal opened by {@code delim} at {@code pos} ({@code offset} 0: opened
   * before input).
   */
  static int stringCore(SqlTokenizer t, int pos, char delim, int offset) {
    String s = t.s;
    int start = pos + offset;
    SqlToken st = t.current;
    st.strOpen = offset > 0 ? delim : 0;
    int q = s.indexOf(delim, start);
    while (true) {
      if (q < 0) {
        st.assign('s', start, t.slen - start, s, start);
        st.strClose = 0;
        return t.slen;
      } else if (backslashEscaped(s, q - 1, start)) {
        q = s.indexOf(delim, q + 1);
      } else if (q + 1 < t.slen && s.charAt(q + 1) == delim) {
        q = s.indexOf(delim, q + 2);
      } else {
        st.assign('s', start, q - start, s, start);
        st.strClose = delim;
        return q + 1;
      }
    }
  }

  /** An odd run of backslashes ends at {@code end}. */
  private static boolean backslashEscaped(String s, int end, int start) {
    int p = end;
    while (p >= start && s.charAt(p) == '\\') {
      p--;
    }
    return ((end - p) & 1) == 1;
  }

  static int estring(SqlTokenizer t) {
    int pos = t.pos;
    if (pos + 2 >= t.slen || t.s.charAt(pos + 1) != '\'') {
      return t.word();
    }
    return stringCore(t, pos, '\'', 2);
  }

  static int ustring(SqlTokenizer t) {
    int pos = t.pos;
    if (pos + 2 < t.slen && t.s.charAt(pos + 1) == '&' && t.s.charAt(pos + 2) == '\'') {
      int next = stringCore(t, pos + 2, '\'', 1);
      t.current.strOpen = 'u';
      if (t.current.strClose == '\'') {
        t.current.strClose = 'u';
      }
      return next;
    }
    return t.word();
  }

  static int nqstring(SqlTokenizer t) {
    if (t.pos + 2 < t.slen && t.s.charAt(t.pos + 1) == '\'') {
      return estring(t);
    }
    return qstring(t, 1);
  }

  /** Oracle's q'Xtext X' (with (), [], {}, <> pairs). */
  static int qstring(SqlTokenizer t, int offset) {
    String s = t.s;
    int slen = t.slen;
    int pos = t.pos + offset;
    if (pos >= slen
        || (s.charAt(pos) != 'q' && s.charAt(pos) != 'Q')
        || pos + 2 >= slen
        || s.charAt(pos + 1) != '\'') {
      return t.word();
    }
    char ch = s.charAt(pos + 2);
    if (ch < 33 || (ch >= 0x80 && ch <= 0xff)) {
      return t.word(); // C compares a signed char
    }
    switch (ch) {
      case '(' -> ch = ')';
      case '[' -> ch = ']';
      case '{' -> ch = '}';
      case '<' -> ch = '>';
      default -> {}
    }
    int end = t.find2(pos + 3, slen, ch, '\'');
    t.current.strOpen = 'q';
    if (end < 0) {
      t.current.assign('s', pos + 3, slen - pos - 3, s, pos + 3);
      t.current.strClose = 0;
      return slen;
    }
    t.current.assign('s', pos + 3, end - pos - 3, s, pos + 3);
    t.current.strClose = 'q';
    return end + 2;
  }

  /** x'4F' and b'0101': numbers. */
  static int radixString(SqlTokenizer t, String digits) {
    int pos = t.pos;
    if (pos + 2 >= t.slen || t.s.charAt(pos + 1) != '\'') {
      return t.word();
    }
    int wlen = t.spanIn(pos + 2, digits);
    if (pos + 2 + wlen >= t.slen || t.s.charAt(pos + 2 + wlen) != '\'') {
      return t.word();
    }
    t.current.assign('1', pos, wlen + 3, t.s, pos);
    return pos + 2 + wlen + 1;
  }

  /** $1.00 is a number; $$..$$ and $tag$..$tag$ are PostgreSQL strings; a lone $ is a bareword. */
  static int money(SqlTokenizer t) {
    String s = t.s;
    int slen = t.slen;
    int pos = t.pos;
    SqlToken st = t.current;
    if (pos + 1 == slen) {
      st.assignChar('n', pos, '$');
      return slen;
    }
    int xlen = t.spanIn(pos + 1, "0123456789.,");
    if (xlen == 1 && s.charAt(pos + 1) == '.') {
      return t.word();
    }
    if (xlen > 0) {
      st.assign('1', pos, 1 + xlen, s, pos);
      return pos + 1 + xlen;
    }
    if (s.charAt(pos + 1) == '$') {
      int end = t.find2(pos + 2, slen, '$', '$');
      st.strOpen = '$';
      if (end < 0) {
        st.assign('s', pos + 2, slen - (pos + 2), s, pos + 2);
        st.strClose = 0;
        return slen;
      }
      st.assign('s', pos + 2, end - (pos + 2), s, pos + 2);
      st.strClose = '$';
      return end + 2;
    }
    xlen = t.spanIn(pos + 1, LETTERS);
    if (xlen == 0 || pos + xlen + 1 == slen || s.charAt(pos + xlen + 1) != '$') {
      st.assignChar('n', pos, '$');
      return pos + 1;
    }
    int body = pos + xlen + 2;
    int end = indexOf(s, body, pos, xlen + 2); // the closing $tag$
    st.strOpen = '$';
    if (end < 0) {
      st.assign('s', body, slen - body, s, body);
      st.strClose = 0;
      return slen;
    }
    st.assign('s', body, end - body, s, body);
    st.strClose = '$';
    return end + xlen + 2;
  }

  /**
   * Where {@code s[tag, tag + tagLen)} next occurs from {@code from}, or -1. libinjection 3.9.2 as
   * released searched from index xlen + 2 of the input rather than from the end of the opening tag;
   * the copy in libmodsecurity3 3.0.9 searches from the end of the tag, and that is the behaviour
   * this port follows (checked differentially).
   */
  private static int indexOf(String s, int from, int tag, int tagLen) {
    for (int i = from; i <= s.length() - tagLen; i++) {
      if (s.regionMatches(i, s, tag, tagLen)) {
        return i;
      }
    }
    return -1;
  }
}
