package dev.tpp.waf.engine.libinjection;

/**
 * A port of libinjection's SQL tokenizer ({@code libinjection_sqli_tokenize} and its {@code
 * parse_*} functions): each char selects a parser through libinjection's 256-entry dispatch table,
 * the parser fills {@link #current} and returns where the next token starts. Input is one char per
 * byte (Latin-1), as the engine holds request data. Holds the state of one {@code
 * libinjection_sqli_state}; one instance per check, confined to the calling pool thread. Literal
 * parsers (numbers, '...', q'...', $$...$$, x'..', b'..') live in {@link SqlLiterals}.
 */
final class SqlTokenizer {
  static final int FLAG_QUOTE_NONE = 1;
  static final int FLAG_QUOTE_SINGLE = 2;
  static final int FLAG_QUOTE_DOUBLE = 4;
  static final int FLAG_SQL_ANSI = 8;
  static final int FLAG_SQL_MYSQL = 16;

  /**
   * libinjection's {@code char_parse_map}, one letter per parser (see {@link #dispatch}); chars >
   * 255 are words.
   */
  private static final String PARSERS =
      ""
          + "wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww" // 0-31
          + "w2s#$o2scc2oc-1/11111111112c222?" // 32-63
          + "@abaaeaaaaaaaaNaaqaaauaaxaa[\\?oa" // 64-95
          + "`abaaeaaaaaaaaNaaqaaauaaxaac2cow" // 96-127
          + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" // 128-159
          + "waaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" // 160-191
          + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" // 192-223
          + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"; // 224-255

  private static final String WORD_END = " []{}<>:\\?=@!#~+-*/&|^%(),';\t\n\u000b\f\r\"\u00a0\0";
  private static final String VAR_END = " <>:\\?=@!#~+-*/&|^%(),';\t\n\u000b\f\r'`\"\0";

  final String s;
  final int slen;
  int flags;
  int pos;
  final SqlToken[] tokens = new SqlToken[8];

  @SuppressWarnings("NullAway.Init") // set by the first tokenize step, before any read
  SqlToken current;

  int statsCommentDdx;
  int statsCommentHash;
  int statsTokens;

  SqlTokenizer(String s) {
    this.s = s;
    this.slen = s.length();
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = new SqlToken();
    }
  }

  /** libinjection_sqli_reset: a fresh pass over the same input with other quote/comment flags. */
  void reset(int flags) {
    this.flags = flags;
    pos = 0;
    statsCommentDdx = 0;
    statsCommentHash = 0;
    statsTokens = 0;
    for (SqlToken t : tokens) {
      t.clear();
    }
    current = tokens[0];
  }

  /** Reads the next token into {@link #current}; false at the end of input. */
  boolean next() {
    if (slen == 0) {
      return false;
    }
    current.clear();
    if (pos == 0 && (flags & (FLAG_QUOTE_SINGLE | FLAG_QUOTE_DOUBLE)) != 0) {
      // the input starts inside a literal: read up to its closing quote
      char delim = (flags & FLAG_QUOTE_SINGLE) != 0 ? '\'' : '"';
      pos = SqlLiterals.stringCore(this, 0, delim, 0);
      statsTokens++;
      return true;
    }
    while (pos < slen) {
      pos = dispatch(s.charAt(pos));
      if (current.type != 0) {
        statsTokens++;
        return true;
      }
    }
    return false;
  }

  private int dispatch(char ch) {
    switch (ch < 256 ? PARSERS.charAt(ch) : 'a') {
      case 'w':
        return pos + 1;
      case 'o':
        return operator1();
      case '?':
        return single('?');
      case 'c':
        return single(ch);
      case '#':
        return hash();
      case '-':
        return dash();
      case '/':
        return slash();
      case '\\':
        return backslash();
      case '2':
        return operator2();
      case 's':
        return SqlLiterals.stringCore(this, pos, ch, 1);
      case '@':
        return variable();
      case '1':
        return SqlLiterals.number(this);
      case '`':
        return tick();
      case 'u':
        return SqlLiterals.ustring(this);
      case 'q':
        return SqlLiterals.qstring(this, 0);
      case 'N':
        return SqlLiterals.nqstring(this);
      case 'x':
        return SqlLiterals.radixString(this, "0123456789ABCDEFabcdef");
      case 'b':
        return SqlLiterals.radixString(this, "01");
      case 'e':
        return SqlLiterals.estring(this);
      case '[':
        return bracketWord();
      case '$':
        return SqlLiterals.money(this);
      default:
        return word();
    }
  }

  private int operator1() {
    current.assignChar('o', pos, s.charAt(pos));
    return pos + 1;
  }

  private int single(char type) {
    current.assignChar(type, pos, s.charAt(pos));
    return pos + 1;
  }

  int eolComment() {
    int end = s.indexOf('\n', pos);
    if (end < 0) {
      current.assign('c', pos, slen - pos, s, pos);
      return slen;
    }
    current.assign('c', pos, end - pos, s, pos);
    return end + 1;
  }

  /** In ANSI mode '#' is an operator; in MySQL mode it starts an end-of-line comment. */
  private int hash() {
    statsCommentHash++;
    if ((flags & FLAG_SQL_MYSQL) != 0) {
      statsCommentHash++;
      return eolComment();
    }
    current.assignChar('o', pos, '#');
    return pos + 1;
  }

  private int dash() {
    if (pos + 2 < slen && s.charAt(pos + 1) == '-' && isWhite(s.charAt(pos + 2))) {
      return eolComment();
    }
    if (pos + 2 == slen && s.charAt(pos + 1) == '-') {
      return eolComment();
    }
    if (pos + 1 < slen && s.charAt(pos + 1) == '-' && (flags & FLAG_SQL_ANSI) != 0) {
      statsCommentDdx++; // --x: a comment for everyone but MySQL
      return eolComment();
    }
    current.assignChar('o', pos, '-');
    return pos + 1;
  }

  private int slash() {
    if (pos + 1 == slen || s.charAt(pos + 1) != '*') {
      return operator1();
    }
    int close = find2(pos + 2, slen, '*', '/');
    int clen = close < 0 ? slen - pos : close + 2 - pos;
    char type = 'c';
    // a nested /* or a MySQL /*! comment is evil; libinjection only looks for nesting when the
    // comment is closed
    if (close >= 0 && find2(pos + 2, close + 1, '/', '*') >= 0) {
      type = 'X';
    } else if (pos + 2 < slen && s.charAt(pos + 2) == '!') {
      type = 'X';
    }
    current.assign(type, pos, clen, s, pos);
    return pos + clen;
  }

  private int backslash() {
    if (pos + 1 < slen && s.charAt(pos + 1) == 'N') {
      current.assign('1', pos, 2, s, pos);
      return pos + 2;
    }
    current.assignChar('\\', pos, s.charAt(pos));
    return pos + 1;
  }

  private int operator2() {
    if (pos + 1 >= slen) {
      return operator1();
    }
    if (pos + 2 < slen
        && s.charAt(pos) == '<'
        && s.charAt(pos + 1) == '='
        && s.charAt(pos + 2) == '>') {
      current.assign('o', pos, 3, s, pos);
      return pos + 3;
    }
    char type = SqlKeywords.type(s, pos, 2);
    if (type != 0) {
      current.assign(type, pos, 2, s, pos);
      return pos + 2;
    }
    if (s.charAt(pos) == ':') {
      current.assign(':', pos, 1, s, pos);
      return pos + 1;
    }
    return operator1();
  }

  private int bracketWord() {
    int end = s.indexOf(']', pos);
    if (end < 0) {
      current.assign('n', pos, slen - pos, s, pos);
      return slen;
    }
    current.assign('n', pos, end - pos + 1, s, pos);
    return end + 1;
  }

  int word() {
    int wlen = spanNotIn(pos, WORD_END);
    current.assign('n', pos, wlen, s, pos);
    // a.b or a`b: when what comes before the dot or tick is a known word, it is a token of its own
    for (int i = 0; i < current.len; i++) {
      char delim = current.val[i];
      if (delim == '.' || delim == '`') {
        char type = SqlKeywords.type(current.val, i);
        if (type != 0 && type != 'n') {
          current.clear();
          current.assign(type, pos, i, s, pos);
          return pos + i;
        }
      }
    }
    if (wlen < SqlToken.SIZE) {
      char type = SqlKeywords.type(current.val, wlen);
      current.type = type == 0 ? 'n' : type;
    }
    return pos + wlen;
  }

  int tick() {
    int next = SqlLiterals.stringCore(this, pos, '`', 1);
    current.type = SqlKeywords.type(current.val, current.len) == 'f' ? 'f' : 'n';
    return next;
  }

  private int variable() {
    int p = pos + 1;
    if (p < slen && s.charAt(p) == '@') {
      p++;
      current.count = 2;
    } else {
      current.count = 1;
    }
    if (p < slen) {
      char c = s.charAt(p);
      if (c == '`') {
        pos = p;
        int next = tick();
        current.type = 'v';
        return next;
      } else if (c == '\'' || c == '"') {
        pos = p;
        int next = SqlLiterals.stringCore(this, p, c, 1);
        current.type = 'v';
        return next;
      }
    }
    int xlen = spanNotIn(p, VAR_END);
    current.assign('v', p, xlen, s, p);
    return p + xlen;
  }

  /**
   * How many chars from {@code from} are in {@code accept}; like C's strchr-based loop, NUL always
   * counts as in.
   */
  int spanIn(int from, String accept) {
    int i = from;
    while (i < slen && (s.charAt(i) == 0 || accept.indexOf(s.charAt(i)) >= 0)) {
      i++;
    }
    return i - from;
  }

  /**
   * How many chars from {@code from} are not in {@code reject} ({@code reject} holds NUL, as C's
   * terminator).
   */
  private int spanNotIn(int from, String reject) {
    int i = from;
    while (i < slen && reject.indexOf(s.charAt(i)) < 0) {
      i++;
    }
    return i - from;
  }

  /** libinjection's memchr2: where "c0c1" first starts in {@code s[from, to)}, or -1. */
  int find2(int from, int to, char c0, char c1) {
    for (int i = from; i + 1 < to; i++) {
      if (s.charAt(i) == c0 && s.charAt(i + 1) == c1) {
        return i;
      }
    }
    return -1;
  }

  char at(int i) {
    return i < slen ? s.charAt(i) : 0; // C reads the terminating NUL of the std::string
  }

  static boolean isWhite(char ch) {
    return ch == ' '
        || ch == '\t'
        || ch == '\n'
        || ch == 0x0b
        || ch == '\f'
        || ch == '\r'
        || ch == 0xa0
        || ch == 0;
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
