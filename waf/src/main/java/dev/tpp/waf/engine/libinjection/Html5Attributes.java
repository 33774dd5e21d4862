package dev.tpp.waf.engine.libinjection;

import static dev.tpp.waf.engine.libinjection.Html5Tokenizer.AFTER_ATTR_NAME;
import static dev.tpp.waf.engine.libinjection.Html5Tokenizer.AFTER_VALUE_QUOTED;
import static dev.tpp.waf.engine.libinjection.Html5Tokenizer.ATTR_NAME;
import static dev.tpp.waf.engine.libinjection.Html5Tokenizer.BEFORE_ATTR_NAME;
import static dev.tpp.waf.engine.libinjection.Html5Tokenizer.BEFORE_ATTR_VALUE;
import static dev.tpp.waf.engine.libinjection.Html5Tokenizer.DATA;
import static dev.tpp.waf.engine.libinjection.Html5Tokenizer.END;
import static dev.tpp.waf.engine.libinjection.Html5Tokenizer.EOF;
import static dev.tpp.waf.engine.libinjection.Html5Tokenizer.SELF_CLOSING;
import static dev.tpp.waf.engine.libinjection.Html5Tokenizer.TAG_NAME_CLOSE;
import static dev.tpp.waf.engine.libinjection.Html5Tokenizer.VALUE_BACK;
import static dev.tpp.waf.engine.libinjection.Html5Tokenizer.VALUE_DOUBLE;
import static dev.tpp.waf.engine.libinjection.Html5Tokenizer.VALUE_NO_QUOTE;
import static dev.tpp.waf.engine.libinjection.Html5Tokenizer.VALUE_SINGLE;
import static dev.tpp.waf.engine.libinjection.Html5Tokenizer.isWhite;
import static dev.tpp.waf.engine.libinjection.Html5Tokenizer.jump;

import dev.tpp.waf.engine.libinjection.Html5Tokenizer.Type;

/**
 * The attribute states of {@link Html5Tokenizer} (libinjection_html5.c 12.2.4.35-12.2.4.41:
 * attribute name, after it, before a value, the value in each quoting, after a quoted value). Each
 * emits one token or returns the tokenizer's jump to the next state. Called by the tokenizer's
 * thread only.
 */
final class Html5Attributes {
  private Html5Attributes() {}

  static int attributeName(Html5Tokenizer t) {
    int pos = t.pos();
    int len = t.length();
    for (int p = pos + 1; p < len; p++) {
      char c = t.at(p);
      if (isWhite(c)) {
        return t.token(pos, p - pos, Type.ATTR_NAME, p + 1, AFTER_ATTR_NAME);
      }
      if (c == '/') {
        return t.token(pos, p - pos, Type.ATTR_NAME, p + 1, SELF_CLOSING);
      }
      if (c == '=') {
        return t.token(pos, p - pos, Type.ATTR_NAME, p + 1, BEFORE_ATTR_VALUE);
      }
      if (c == '>') {
        return t.token(pos, p - pos, Type.ATTR_NAME, p, TAG_NAME_CLOSE);
      }
    }
    return t.token(pos, len - pos, Type.ATTR_NAME, len, EOF);
  }

  static int afterAttributeName(Html5Tokenizer t) {
    int c = t.skipWhite();
    switch (c) {
      case -1:
        return END;
      case '/':
        t.pos(t.pos() + 1);
        return jump(SELF_CLOSING);
      case '=':
        t.pos(t.pos() + 1);
        return jump(BEFORE_ATTR_VALUE);
      case '>':
        return jump(TAG_NAME_CLOSE);
      default:
        return jump(ATTR_NAME);
    }
  }

  static int beforeAttributeValue(Html5Tokenizer t) {
    int c = t.skipWhite();
    if (c == -1) {
      t.endState();
      return END;
    }
    return jump(
        c == '"'
            ? VALUE_DOUBLE
            : c == '\'' ? VALUE_SINGLE : c == '`' ? VALUE_BACK : VALUE_NO_QUOTE);
  }

  static int quotedValue(Html5Tokenizer t, char quote) {
    // at pos 0 scanning started inside the value: there is no opening quote to skip
    int pos = t.pos() > 0 ? t.pos() + 1 : 0;
    int idx = t.indexOf(quote, pos);
    if (idx < 0) {
      return t.token(pos, t.length() - pos, Type.ATTR_VALUE, pos, EOF);
    }
    return t.token(pos, idx - pos, Type.ATTR_VALUE, idx + 1, AFTER_VALUE_QUOTED);
  }

  static int unquotedValue(Html5Tokenizer t) {
    int pos = t.pos();
    int len = t.length();
    for (int p = pos; p < len; p++) {
      char c = t.at(p);
      if (isWhite(c)) {
        return t.token(pos, p - pos, Type.ATTR_VALUE, p + 1, BEFORE_ATTR_NAME);
      }
      if (c == '>') {
        return t.token(pos, p - pos, Type.ATTR_VALUE, p, TAG_NAME_CLOSE);
      }
    }
    return t.token(pos, len - pos, Type.ATTR_VALUE, pos, EOF);
  }

  static int afterQuotedValue(Html5Tokenizer t) {
    int pos = t.pos();
    if (pos >= t.length()) {
      return END;
    }
    char c = t.at(pos);
    if (isWhite(c)) {
      t.pos(pos + 1);
      return jump(BEFORE_ATTR_NAME);
    }
    if (c == '/') {
      t.pos(pos + 1);
      return jump(SELF_CLOSING);
    }
    if (c == '>') {
      return t.token(pos, 1, Type.TAG_NAME_CLOSE, pos + 1, DATA);
    }
    return jump(BEFORE_ATTR_NAME);
  }
}
