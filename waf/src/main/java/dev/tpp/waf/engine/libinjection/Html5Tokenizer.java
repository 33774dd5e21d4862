package dev.tpp.waf.engine.libinjection;

/**
 * A port of libinjection's HTML5 tokenizer ({@code libinjection_html5.c}, the copy in Debian 12's
 * libmodsecurity3, libinjection commit bfba51f): a cut-down HTML5 tokenizer that yields tag names,
 * attribute names and values, comments and doctypes, starting in one of five {@link Start} states.
 * The C code's state functions tail-call each other; here a handler returns {@link #jump} of the
 * next state and {@link #next} loops, so no input can deepen the stack. The attribute states live
 * in {@link Html5Attributes}, the comment-like ones in {@link Html5Comments}. Input is one char per
 * byte; like the C code, the char at {@code length()} reads as NUL (its terminator).
 *
 * <p>One instance per scan, used by one thread; it keeps only indexes into the caller's string.
 *
 * <p>Ported from libinjection, Copyright (c) 2012-2016 Nick Galbreath, BSD-3-Clause (see
 * NOTICE-libinjection.txt in this package's resources).
 */
final class Html5Tokenizer {
  /** libinjection's {@code html5_flags}: the state scanning starts in. */
  enum Start {
    DATA,
    VALUE_NO_QUOTE,
    VALUE_SINGLE_QUOTE,
    VALUE_DOUBLE_QUOTE,
    VALUE_BACK_QUOTE
  }

  /** libinjection's {@code html5_type}. */
  enum Type {
    DATA_TEXT,
    TAG_NAME_OPEN,
    TAG_NAME_CLOSE,
    TAG_NAME_SELFCLOSE,
    TAG_CLOSE,
    ATTR_NAME,
    ATTR_VALUE,
    TAG_COMMENT,
    DOCTYPE
  }

  static final int EOF = 1,
      DATA = 2,
      TAG_OPEN = 3,
      END_TAG_OPEN = 4,
      TAG_NAME = 5,
      TAG_NAME_CLOSE = 6,
      BEFORE_ATTR_NAME = 7,
      ATTR_NAME = 8,
      AFTER_ATTR_NAME = 9,
      BEFORE_ATTR_VALUE = 10,
      VALUE_DOUBLE = 11,
      VALUE_SINGLE = 12,
      VALUE_BACK = 13,
      VALUE_NO_QUOTE = 14,
      AFTER_VALUE_QUOTED = 15,
      SELF_CLOSING = 16,
      BOGUS_COMMENT = 17,
      BOGUS_COMMENT2 = 18,
      MARKUP_DECLARATION = 19,
      COMMENT = 20,
      CDATA = 21,
      DOCTYPE = 22;
  static final int END = 0, TOKEN = 1;

  private final String s;
  private final int len;
  private int pos;
  private boolean isClose;
  private int state;
  private int tokenStart;
  private int tokenLength;

  @SuppressWarnings("NullAway.Init") // set with every TOKEN; read only after next() says TOKEN
  private Type tokenType;

  Html5Tokenizer(String s, Start start) {
    this.s = s;
    this.len = s.length();
    this.state =
        switch (start) {
          case DATA -> DATA;
          case VALUE_NO_QUOTE -> BEFORE_ATTR_NAME;
          case VALUE_SINGLE_QUOTE -> VALUE_SINGLE;
          case VALUE_DOUBLE_QUOTE -> VALUE_DOUBLE;
          case VALUE_BACK_QUOTE -> VALUE_BACK;
        };
  }

  /** Advances to the next token; false at the end of the input ({@code libinjection_h5_next}). */
  boolean next() {
    int r = jump(state);
    while (r < 0) {
      r = run(-r);
    }
    return r == TOKEN;
  }

  int tokenStart() {
    return tokenStart;
  }

  int tokenLength() {
    return tokenLength;
  }

  Type tokenType() {
    return tokenType;
  }

  /** A tail call of state {@code st}: {@link #next} runs it. */
  static int jump(int st) {
    return -st;
  }

  private int run(int st) {
    return switch (st) {
      case EOF -> END;
      case DATA -> data();
      case TAG_OPEN -> tagOpen();
      case END_TAG_OPEN -> endTagOpen();
      case TAG_NAME -> tagName();
      case TAG_NAME_CLOSE -> tagNameClose();
      case BEFORE_ATTR_NAME -> beforeAttributeName();
      case ATTR_NAME -> Html5Attributes.attributeName(this);
      case AFTER_ATTR_NAME -> Html5Attributes.afterAttributeName(this);
      case BEFORE_ATTR_VALUE -> Html5Attributes.beforeAttributeValue(this);
      case VALUE_DOUBLE -> Html5Attributes.quotedValue(this, '"');
      case VALUE_SINGLE -> Html5Attributes.quotedValue(this, '\'');
      case VALUE_BACK -> Html5Attributes.quotedValue(this, '`');
      case VALUE_NO_QUOTE -> Html5Attributes.unquotedValue(this);
      case AFTER_VALUE_QUOTED -> Html5Attributes.afterQuotedValue(this);
      case SELF_CLOSING -> selfClosingStartTag();
      case BOGUS_COMMENT -> bogusComment();
      case BOGUS_COMMENT2 -> Html5Comments.percentComment(this);
      case MARKUP_DECLARATION -> markupDeclarationOpen();
      case COMMENT -> Html5Comments.comment(this);
      case CDATA -> Html5Comments.cdata(this);
      case DOCTYPE -> doctype();
      default -> throw new IllegalStateException("html5 state " + st);
    };
  }

  /** The byte at {@code i}; NUL at (and, never read, beyond) the end, as C's terminator. */
  char at(int i) {
    return i < len ? s.charAt(i) : 0;
  }

  int length() {
    return len;
  }

  int pos() {
    return pos;
  }

  void pos(int newPos) {
    pos = newPos;
  }

  void endState() {
    state = EOF;
  }

  int indexOf(char c, int from) {
    return s.indexOf(c, from);
  }

  /** Emits a token and sets the state the next call resumes in. */
  int token(int start, int length, Type type, int newPos, int newState) {
    tokenStart = start;
    tokenLength = length;
    tokenType = type;
    pos = newPos;
    state = newState;
    return TOKEN;
  }

  /**
   * {@code h5_is_white}: {@code strchr(" \t\n\v\f\r", ch)}, which also finds the NUL terminator.
   */
  static boolean isWhite(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 11 || c == '\f' || c == '\r' || c == 0;
  }

  /**
   * {@code h5_skip_white}: the first char at or after pos that is not white (NUL counts as white),
   * or -1 at the end. It returns a C {@code char}: byte 0xFF is -1 there, the same as its end
   * marker, so it ends the scan too.
   */
  int skipWhite() {
    while (pos < len) {
      char c = s.charAt(pos);
      if (c == 0xFF) {
        return -1;
      }
      if (!isWhite(c)) {
        return c;
      }
      pos++;
    }
    return -1;
  }

  private int data() {
    int idx = s.indexOf('<', pos);
    if (idx < 0) {
      token(pos, len - pos, Type.DATA_TEXT, pos, EOF);
      return tokenLength == 0 ? END : TOKEN;
    }
    token(pos, idx - pos, Type.DATA_TEXT, idx + 1, TAG_OPEN);
    return tokenLength == 0 ? jump(TAG_OPEN) : TOKEN;
  }

  private int tagOpen() {
    if (pos >= len) {
      return END;
    }
    char c = s.charAt(pos);
    switch (c) {
      case '!' -> {
        pos++;
        return jump(MARKUP_DECLARATION);
      }
      case '/' -> {
        pos++;
        isClose = true;
        return jump(END_TAG_OPEN);
      }
      case '?' -> {
        pos++;
        return jump(BOGUS_COMMENT);
      }
      case '%' -> {
        // not in the spec: the <% ... %> comment of IE <= 9 and Safari < 4.0.3
        pos++;
        return jump(BOGUS_COMMENT2);
      }
      default -> {
        if (isAsciiLetter(c) || c == 0) {
          return jump(TAG_NAME); // IE ignores NULs in tag names
        }
        if (pos == 0) {
          return jump(DATA);
        }
        return token(pos - 1, 1, Type.DATA_TEXT, pos, DATA);
      }
    }
  }

  private int endTagOpen() {
    if (pos >= len) {
      return END;
    }
    char c = s.charAt(pos);
    if (c == '>') {
      return jump(DATA); // keeps isClose set, as the C code does
    }
    if (isAsciiLetter(c)) {
      return jump(TAG_NAME);
    }
    isClose = false;
    return jump(BOGUS_COMMENT);
  }

  private int tagNameClose() {
    isClose = false;
    return token(pos, 1, Type.TAG_NAME_CLOSE, pos + 1, pos + 1 < len ? DATA : EOF);
  }

  private int tagName() {
    for (int p = pos; p < len; p++) {
      char c = s.charAt(p);
      if (c == 0) {
        continue;
      }
      if (isWhite(c)) {
        return token(pos, p - pos, Type.TAG_NAME_OPEN, p + 1, BEFORE_ATTR_NAME);
      }
      if (c == '/') {
        return token(pos, p - pos, Type.TAG_NAME_OPEN, p + 1, SELF_CLOSING);
      }
      if (c == '>') {
        if (!isClose) {
          return token(pos, p - pos, Type.TAG_NAME_OPEN, p, TAG_NAME_CLOSE);
        }
        isClose = false;
        return token(pos, p - pos, Type.TAG_CLOSE, p + 1, DATA);
      }
    }
    return token(pos, len - pos, Type.TAG_NAME_OPEN, pos, EOF);
  }

  private int beforeAttributeName() {
    int c = skipWhite();
    if (c == -1) {
      return END;
    }
    if (c == '/') {
      pos++;
      return jump(SELF_CLOSING);
    }
    if (c == '>') {
      return token(pos, 1, Type.TAG_NAME_CLOSE, pos + 1, DATA);
    }
    return jump(ATTR_NAME);
  }

  private int selfClosingStartTag() {
    if (pos >= len) {
      return END;
    }
    if (s.charAt(pos) == '>') {
      return token(pos - 1, 2, Type.TAG_NAME_SELFCLOSE, pos + 1, DATA);
    }
    return jump(BEFORE_ATTR_NAME);
  }

  private int bogusComment() {
    int idx = s.indexOf('>', pos);
    if (idx < 0) {
      return token(pos, len - pos, Type.TAG_COMMENT, len, EOF);
    }
    return token(pos, idx - pos, Type.TAG_COMMENT, idx + 1, DATA);
  }

  private int markupDeclarationOpen() {
    int remaining = len - pos;
    if (remaining >= 7 && asciiIgnoreCase(pos, "DOCTYPE")) {
      return jump(DOCTYPE);
    }
    if (remaining >= 7 && s.startsWith("[CDATA[", pos)) {
      pos += 7;
      return jump(CDATA);
    }
    if (remaining >= 2 && s.startsWith("--", pos)) {
      pos += 2;
      return jump(COMMENT);
    }
    return jump(BOGUS_COMMENT);
  }

  private int doctype() {
    int idx = s.indexOf('>', pos);
    if (idx < 0) {
      return token(pos, len - pos, Type.DOCTYPE, pos, EOF);
    }
    return token(pos, idx - pos, Type.DOCTYPE, idx + 1, DATA);
  }

  /**
   * Whether the input at {@code from} is {@code upper} in ASCII upper or lower case (no other
   * folding).
   */
  private boolean asciiIgnoreCase(int from, String upper) {
    for (int i = 0; i < upper.length(); i++) {
      char c = s.charAt(from + i);
      if (c != upper.charAt(i) && c != Character.toLowerCase(upper.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean isAsciiLetter(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  static int eofState() {
    return EOF;
  }

  static int dataState() {
    return DATA;
  }
}
