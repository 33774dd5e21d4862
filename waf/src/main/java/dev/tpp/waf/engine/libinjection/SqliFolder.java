package dev.tpp.waf.engine.libinjection;

/**
 * A port of libinjection's {@code libinjection_sqli_fold}: reads tokens and folds them (merges
 * multi-word keywords, drops unary operators, collapses "1+1", "a.b", "((" ...) until at most five
 * remain, which make the fingerprint. Works in place on {@link SqlTokenizer#tokens}; {@code pos} is
 * how many are read, {@code left} how many are final.
 */
final class SqliFolder {
  static final int MAX_TOKENS = 5;
  private static final String[] FUNCTION_WORDS = {
    "USER_ID",
    "USER_NAME",
    "DATABASE",
    "PASSWORD",
    "USER",
    "CURRENT_USER",
    "CURRENT_DATE",
    "CURRENT_TIME",
    "CURRENT_TIMESTAMP",
    "LOCALTIME",
    "LOCALTIMESTAMP"
  };

  private final SqlTokenizer t;
  private final SqlToken[] tv;
  private final SqlToken lastComment = new SqlToken();
  private int pos;
  private int left;
  private boolean more = true;

  private SqliFolder(SqlTokenizer t) {
    this.t = t;
    this.tv = t.tokens;
  }

  /**
   * Folds the tokenizer's input (after {@link SqlTokenizer#reset}); returns the number of tokens
   * kept.
   */
  static int fold(SqlTokenizer t) {
    return new SqliFolder(t).run();
  }

  private int run() {
    t.current = tv[0];
    // leading comments, parens, SQL types and unary operators are skipped
    while (more) {
      more = t.next();
      SqlToken c = t.current;
      if (!(c.type == 'c' || c.type == '(' || c.type == 't' || c.isUnaryOp())) {
        break;
      }
    }
    if (!more) {
      return 0;
    }
    pos = 1;
    while (true) {
      if (pos >= MAX_TOKENS && restartsAfterShortExpression()) {
        if (pos > MAX_TOKENS) {
          tv[1].copyFrom(tv[MAX_TOKENS]);
          pos = 2;
        } else {
          pos = 1;
        }
        left = 0;
      }
      if (!more || left >= MAX_TOKENS) {
        left = pos;
        break;
      }
      readUntil(2);
      if (pos - left < 2) {
        left = pos;
        continue;
      }
      int r = SqliPairFolds.fold(this);
      if (r == SqliPairFolds.EVIL) {
        return left + 2;
      }
      if (r == SqliPairFolds.CONTINUE) {
        continue;
      }
      readUntil(3);
      if (pos - left < 3) {
        left = pos;
        continue;
      }
      if (SqliPairFolds.foldTriple(this)) {
        continue;
      }
      left += 1;
    }
    if (left < MAX_TOKENS && lastComment.type == 'c') {
      tv[left].copyFrom(lastComment);
      left += 1;
    }
    return Math.min(left, MAX_TOKENS);
  }

  /**
   * "1,(1)" "n+(1)" "1),(1" "n)+(n": libinjection starts over from the second token of such an
   * expression.
   */
  private boolean restartsAfterShortExpression() {
    char t0 = tv[0].type;
    char t1 = tv[1].type;
    char t2 = tv[2].type;
    char t3 = tv[3].type;
    char t4 = tv[4].type;
    return (t0 == '1' && (t1 == 'o' || t1 == ',') && t2 == '(' && t3 == '1' && t4 == ')')
        || (t0 == 'n' && t1 == 'o' && t2 == '(' && (t3 == 'n' || t3 == '1') && t4 == ')')
        || (t0 == '1' && t1 == ')' && t2 == ',' && t3 == '(' && t4 == '1')
        || (t0 == 'n' && t1 == ')' && t2 == 'o' && t3 == '(' && t4 == 'n');
  }

  /**
   * Reads tokens until {@code need} are unfolded past {@code left}; comments are set aside, the
   * last one kept.
   */
  private void readUntil(int need) {
    while (more && pos <= MAX_TOKENS && pos - left < need) {
      t.current = tv[pos];
      more = t.next();
      if (more) {
        if (t.current.type == 'c') {
          lastComment.copyFrom(t.current);
        } else {
          lastComment.type = 0;
          pos += 1;
        }
      }
    }
  }

  SqlToken at(int offset) {
    return tv[left + offset];
  }

  /**
   * Drops {@code n} tokens from the end of the read ones (folding works by shrinking {@code pos}).
   */
  void drop(int n) {
    pos -= n;
  }

  void restart() {
    left = 0;
  }

  void back() {
    if (left > 0) {
      left -= 1;
    }
  }

  static boolean isFunctionWord(SqlToken tok) {
    for (String w : FUNCTION_WORDS) {
      if (tok.is(w)) {
        return true;
      }
    }
    return false;
  }
}
