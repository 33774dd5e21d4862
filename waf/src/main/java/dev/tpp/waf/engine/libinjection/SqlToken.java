package dev.tpp.waf.engine.libinjection;

import java.util.Arrays;

/**
 * One token of libinjection's SQL tokenizer ({@code stoken_t}): its type letter, where it starts,
 * and its text cut to 31 chars as libinjection keeps it. Mutable and reused within one {@link
 * SqliState}; never shared between threads.
 */
final class SqlToken {
  /**
   * libinjection's {@code LIBINJECTION_SQLI_TOKEN_SIZE}: values longer than SIZE - 1 chars are cut.
   */
  static final int SIZE = 32;

  char type;
  char strOpen;
  char strClose;
  int pos;
  int len;
  int count;
  final char[] val = new char[SIZE];

  void clear() {
    type = 0;
    strOpen = 0;
    strClose = 0;
    pos = 0;
    len = 0;
    count = 0;
    Arrays.fill(val, (char) 0);
  }

  void assignChar(char type, int pos, char value) {
    this.type = type;
    this.pos = pos;
    this.len = 1;
    val[0] = value;
    val[1] = 0;
  }

  void assign(char type, int pos, int len, CharSequence src, int from) {
    int last = Math.min(len, SIZE - 1);
    this.type = type;
    this.pos = pos;
    this.len = last;
    for (int i = 0; i < last; i++) {
      val[i] = src.charAt(from + i);
    }
    val[last] = 0;
  }

  void assign(char type, int pos, int len, char[] src) {
    int last = Math.min(len, SIZE - 1);
    this.type = type;
    this.pos = pos;
    this.len = last;
    System.arraycopy(src, 0, val, 0, last);
    val[last] = 0;
  }

  void copyFrom(SqlToken o) {
    type = o.type;
    strOpen = o.strOpen;
    strClose = o.strClose;
    pos = o.pos;
    len = o.len;
    count = o.count;
    System.arraycopy(o.val, 0, val, 0, SIZE);
  }

  /**
   * libinjection's {@code cstrcasecmp(upper, val, len) == 0}: the whole value is {@code upper},
   * ASCII case ignored.
   */
  boolean is(String upper) {
    if (upper.length() != len) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (upper.charAt(i) != SqlKeywords.upper(val[i])) {
        return false;
      }
    }
    return true;
  }

  boolean isArithmeticOp() {
    char ch = val[0];
    return type == 'o'
        && len == 1
        && (ch == '*' || ch == '/' || ch == '-' || ch == '+' || ch == '%');
  }

  boolean isUnaryOp() {
    if (type != 'o') {
      return false;
    }
    switch (len) {
      case 1:
        return val[0] == '+' || val[0] == '-' || val[0] == '!' || val[0] == '~';
      case 2:
        return val[0] == '!' && val[1] == '!';
      case 3:
        return is("NOT");
      default:
        return false;
    }
  }
}
