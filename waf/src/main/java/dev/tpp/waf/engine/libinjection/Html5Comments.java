package dev.tpp.waf.engine.libinjection;

import dev.tpp.waf.engine.libinjection.Html5Tokenizer.Type;

/**
 * The comment-like states of {@link Html5Tokenizer} ({@code h5_state_comment}, {@code
 * h5_state_cdata}, {@code h5_state_bogus_comment2} of libinjection_html5.c), which scan ahead for
 * their end marker. Each emits one token and returns the tokenizer's result code. Called by the
 * tokenizer's thread only.
 */
final class Html5Comments {
  private Html5Comments() {}

  /**
   * {@code <!-- ... }: ends at EOF, at {@code -->} or at {@code -!>}; NULs between the first dash
   * and the second char are skipped, as in the C code.
   */
  static int comment(Html5Tokenizer t) {
    int len = t.length();
    int start = t.pos();
    int p = start;
    while (true) {
      int idx = t.indexOf('-', p);
      if (idx < 0 || idx > len - 3) {
        return toEof(t, start, Type.TAG_COMMENT);
      }
      int offset = 1;
      while (idx + offset < len && t.at(idx + offset) == 0) {
        offset++;
      }
      if (idx + offset == len) {
        return toEof(t, start, Type.TAG_COMMENT);
      }
      char c = t.at(idx + offset);
      if (c != '-' && c != '!') {
        p = idx + 1;
        continue;
      }
      offset++;
      if (idx + offset == len) {
        return toEof(t, start, Type.TAG_COMMENT);
      }
      if (t.at(idx + offset) != '>') {
        p = idx + 1;
        continue;
      }
      offset++;
      return t.token(
          start, idx - start, Type.TAG_COMMENT, idx + offset, Html5Tokenizer.dataState());
    }
  }

  /** {@code <![CDATA[ ... ]]>}: its content is text. */
  static int cdata(Html5Tokenizer t) {
    int len = t.length();
    int start = t.pos();
    int p = start;
    while (true) {
      int idx = t.indexOf(']', p);
      if (idx < 0 || idx > len - 3) {
        return toEof(t, start, Type.DATA_TEXT);
      }
      if (t.at(idx + 1) == ']' && t.at(idx + 2) == '>') {
        return t.token(start, idx - start, Type.DATA_TEXT, idx + 3, Html5Tokenizer.dataState());
      }
      p = idx + 1;
    }
  }

  /** {@code <% ... %>}: IE's alternative comment, to EOF when there is no {@code %>}. */
  static int percentComment(Html5Tokenizer t) {
    int len = t.length();
    int start = t.pos();
    int p = start;
    while (true) {
      int idx = t.indexOf('%', p);
      if (idx < 0 || idx + 1 >= len) {
        return t.token(start, len - start, Type.TAG_COMMENT, len, Html5Tokenizer.eofState());
      }
      if (t.at(idx + 1) != '>') {
        p = idx + 1;
        continue;
      }
      return t.token(start, idx - start, Type.TAG_COMMENT, idx + 2, Html5Tokenizer.dataState());
    }
  }

  /** The rest of the input as one token; pos stays where the C code leaves it. */
  private static int toEof(Html5Tokenizer t, int start, Type type) {
    return t.token(start, t.length() - start, type, start, Html5Tokenizer.eofState());
  }
}
