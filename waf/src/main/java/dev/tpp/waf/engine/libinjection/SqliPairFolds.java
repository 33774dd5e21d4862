package dev.tpp.waf.engine.libinjection;

/**
 * The folding rules of libinjection_sqli_fold, in its order: first on the two tokens at {@code
 * left}, then on three. Each rule rewrites tokens through {@link SqliFolder} the way the C code
 * rewrites {@code tokenvec}.
 */
final class SqliPairFolds {
  static final int NONE = 0;
  static final int CONTINUE = 1;
  static final int EVIL = 2;

  private SqliPairFolds() {}

  static int fold(SqliFolder f) {
    SqlToken a = f.at(0);
    SqlToken b = f.at(1);
    if ((a.type == 's' && b.type == 's') || (a.type == ';' && b.type == ';')) {
      f.drop(1); // "a" "b" is one string; ;; one semicolon
      return CONTINUE;
    } else if ((a.type == 'o' || a.type == '&') && (b.isUnaryOp() || b.type == 't')) {
      f.drop(1);
      f.restart();
      return CONTINUE;
    } else if (a.type == '(' && b.isUnaryOp()) {
      f.drop(1);
      f.back();
      return CONTINUE;
    } else if (mergeWords(a, b)) {
      f.drop(1);
      f.back();
      return CONTINUE;
    } else if (a.type == ';'
        && b.type == 'f'
        && (b.val[0] == 'I' || b.val[0] == 'i')
        && (b.val[1] == 'F' || b.val[1] == 'f')) {
      b.type = 'T'; // ;IF is T-SQL
      return CONTINUE;
    } else if ((a.type == 'n' || a.type == 'v') && b.type == '(' && SqliFolder.isFunctionWord(a)) {
      a.type = 'f';
      return CONTINUE;
    } else if (a.type == 'k' && (a.is("IN") || a.is("NOT IN"))) {
      a.type = b.type == '(' ? 'o' : 'n';
      return CONTINUE;
    } else if (a.type == 'o' && (a.is("LIKE") || a.is("NOT LIKE"))) {
      if (b.type == '(') {
        a.type = 'f';
      }
    } else if (a.type == 't' && "n1t(fvs".indexOf(b.type) >= 0 && b.type != 0) {
      a.copyFrom(b); // a cast type before a value is dropped
      f.drop(1);
      f.restart();
      return CONTINUE;
    } else if (a.type == 'A' && b.type == 'n') {
      if (indexOf(b, '_') >= 0) { // COLLATE utf8_bin: the name is a type
        b.type = 't';
        f.restart();
      }
    } else if (a.type == '\\') {
      if (b.isArithmeticOp()) {
        a.type = '1';
      } else {
        a.copyFrom(b);
        f.drop(1);
      }
      f.restart();
      return CONTINUE;
    } else if ((a.type == '(' && b.type == '(') || (a.type == ')' && b.type == ')')) {
      f.drop(1);
      f.restart();
      return CONTINUE;
    } else if (a.type == '{' && b.type == 'n') {
      if (b.len == 0) {
        b.type = 'X';
        return EVIL;
      }
      f.restart();
      f.drop(2);
      return CONTINUE;
    } else if (b.type == '}') {
      f.drop(1);
      f.restart();
      return CONTINUE;
    }
    return NONE;
  }

  static boolean foldTriple(SqliFolder f) {
    SqlToken a = f.at(0);
    SqlToken b = f.at(1);
    SqlToken c = f.at(2);
    char ta = a.type;
    char tb = b.type;
    char tc = c.type;
    if ((ta == '1' && tb == 'o' && tc == '1')
        || (ta == 'o' && tb != '(' && tc == 'o')
        || (ta == '&' && tc == '&')
        || (ta == 'v' && tb == 'o' && (tc == 'v' || tc == '1' || tc == 'n'))
        || ((ta == 'n' || ta == '1') && tb == 'o' && (tc == '1' || tc == 'n'))) {
      f.drop(2);
      f.restart();
      return true;
    } else if ((ta == 'n' || ta == '1' || ta == 'v' || ta == 's')
        && tb == 'o'
        && b.len == 2
        && b.val[0] == ':'
        && b.val[1] == ':'
        && tc == 't') {
      f.drop(2); // x::type
      f.restart();
      return true;
    } else if ((ta == 'n' || ta == '1' || ta == 's' || ta == 'v')
        && tb == ','
        && (tc == '1' || tc == 'n' || tc == 's' || tc == 'v')) {
      f.drop(2);
      f.restart();
      return true;
    } else if ((ta == 'E' || ta == 'B' || ta == ',') && b.isUnaryOp() && tc == '(') {
      b.copyFrom(c);
      f.drop(1);
      f.restart();
      return true;
    } else if ((ta == 'k' || ta == 'E' || ta == 'B')
        && b.isUnaryOp()
        && (tc == '1' || tc == 'n' || tc == 'v' || tc == 's' || tc == 'f')) {
      b.copyFrom(c);
      f.drop(1);
      f.restart();
      return true;
    } else if (ta == ',' && b.isUnaryOp() && (tc == '1' || tc == 'n' || tc == 'v' || tc == 's')) {
      b.copyFrom(c);
      f.drop(3);
      f.restart();
      return true;
    } else if (ta == ',' && b.isUnaryOp() && tc == 'f') {
      b.copyFrom(c);
      f.drop(1);
      f.restart();
      return true;
    } else if (ta == 'n' && tb == '.' && tc == 'n') {
      f.drop(2);
      f.restart();
      return true;
    } else if (ta == 'E' && tb == '.' && tc == 'n') {
      b.copyFrom(c);
      f.drop(1);
      f.restart();
      return true;
    } else if (ta == 'f' && tb == '(' && tc != ')') {
      if (a.is("USER")) {
        a.type = 'n'; // USER(x) is not the function
      }
    }
    return false;
  }

  /**
   * syntax_merge_words: two words that make a known phrase ("UNION ALL", "NOT IN", "ORDER BY")
   * become one token.
   */
  private static boolean mergeWords(SqlToken a, SqlToken b) {
    if ("knoUfETt".indexOf(a.type) < 0 || a.type == 0) {
      return false;
    }
    if ("knoUfETt&".indexOf(b.type) < 0 || b.type == 0) {
      return false;
    }
    int sz3 = a.len + b.len + 1;
    if (sz3 >= SqlToken.SIZE) {
      return false;
    }
    char[] tmp = new char[SqlToken.SIZE];
    System.arraycopy(a.val, 0, tmp, 0, a.len);
    tmp[a.len] = ' ';
    System.arraycopy(b.val, 0, tmp, a.len + 1, b.len);
    char type = SqlKeywords.type(tmp, sz3);
    if (type == 0) {
      return false;
    }
    a.assign(type, a.pos, sz3, tmp);
    return true;
  }

  private static int indexOf(SqlToken tok, char c) {
    for (int i = 0; i < SqlToken.SIZE && tok.val[i] != 0; i++) {
      if (tok.val[i] == c) {
        return i;
      }
    }
    return -1;
  }
}
