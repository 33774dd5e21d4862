package dev.tpp.waf.engine.libinjection;

import java.util.ArrayList;
import java.util.List;

/**
 * libinjection-style SQL tokenizer: turns input into typed tokens, starting either outside any quote or, to model
 * an injection into a quoted SQL literal, inside a single- or double-quoted string. Whitespace is dropped.
 */
final class SqlTokenizer {
  record Token(char type, String value) {}

  private static final int MAX_TOKENS = 16;
  private final String s;
  private int i;
  private final List<Token> out = new ArrayList<>();

  private SqlTokenizer(String s) {
    this.s = s;
  }

  /** @param quote 0 for as-is, or the quote character the input is assumed to start inside */
  static List<Token> tokenize(String input, char quote) {
    SqlTokenizer t = new SqlTokenizer(input);
    if (quote != 0) t.string(quote, 0);
    while (t.i < input.length() && t.out.size() < MAX_TOKENS) t.next();
    return t.out;
  }

  private void add(char type, int start) {
    out.add(new Token(type, s.substring(start, Math.min(i, s.length()))));
  }

  private void next() {
    char c = s.charAt(i);
    int start = i;
    if (Character.isWhitespace(c) || c == 0 || c == 0xA0 || c == 11) {
      i++;
    } else if (c == '\'' || c == '"') {
      i++;
      string(c, start);
    } else if (c == '`') {
      int end = s.indexOf('`', i + 1);
      i = end < 0 ? s.length() : end + 1;
      add('n', start);
    } else if (c == '#' || (c == '-' && s.startsWith("--", i))) {
      int end = s.indexOf('\n', i);
      i = end < 0 ? s.length() : end;
      add('c', start);
    } else if (c == '/' && s.startsWith("/*", i)) {
      int end = s.indexOf("*/", i + 2);
      boolean mysqlExec = s.startsWith("/*!", i);
      i = mysqlExec ? i + 3 : end < 0 ? s.length() : end + 2;
      if (!mysqlExec) add('c', start);
    } else if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
      number();
      add('1', start);
    } else if (c == '@') {
      while (i < s.length() && s.charAt(i) == '@') i++;
      word();
      add('v', start);
    } else if (Character.isLetter(c) || c == '_' || c == '$' || c >= 0x80) {
      word();
      String w = s.substring(start, i);
      char type = SqlKeywords.type(w);
      if (type == 'n' && w.indexOf('.') > 0) type = SqlKeywords.type(w.substring(0, w.indexOf('.')));
      Token last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && last.type() == 'U' && (w.equalsIgnoreCase("ALL") || w.equalsIgnoreCase("DISTINCT"))) {
        out.set(out.size() - 1, new Token('U', last.value() + " " + w)); // libinjection reads UNION ALL as one word
      } else {
        out.add(new Token(type, w));
      }
    } else if ("(),;{}:.".indexOf(c) >= 0) {
      i++;
      add(c, start);
    } else if (c == '\\') {
      i++;
      if (i < s.length() && s.charAt(i) == 'N') {
        i++;
        add('1', start);
      } else {
        add('\\', start);
      }
    } else {
      operator();
    }
  }

  private void string(char quote, int start) {
    int j = i;
    while (j < s.length()) {
      char c = s.charAt(j);
      if (c == '\\' && j + 1 < s.length()) {
        j += 2;
      } else if (c == quote && j + 1 < s.length() && s.charAt(j + 1) == quote) {
        j += 2; // doubled quote stays inside the string
      } else if (c == quote) {
        break;
      } else {
        j++;
      }
    }
    i = Math.min(j + 1, s.length());
    add('s', start);
  }

  private void number() {
    if (s.startsWith("0x", i) || s.startsWith("0X", i) || s.startsWith("0b", i) || s.startsWith("0B", i)) i += 2;
    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
  }

  private void word() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '.' || c >= 0x80) i++;
      else break;
    }
  }

  private void operator() {
    int start = i;
    String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
    if (two.equals("&&") || two.equals("||")) {
      i += 2;
      add('&', start);
      return;
    }
    if (s.startsWith("<=>", i)) i += 3;
    else if (two.equals("<=") || two.equals(">=") || two.equals("<>") || two.equals("!=") || two.equals("==")
        || two.equals(":=") || two.equals("<<") || two.equals(">>")) i += 2;
    else i++;
    add('o', start);
  }
}
