package dev.tpp.waf.engine.libinjection;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * {@code @detectSQLi}: a port of libinjection's {@code libinjection_sqli} (v3.9.2, the copy inside
 * Debian 12's libmodsecurity3). The input is tokenized and folded ({@link SqlTokenizer}, {@link
 * SqliFolder}) as plain SQL, as if it began inside a '...' literal and inside a "..." literal, each
 * pass also in MySQL comment mode when ANSI mode saw '#' or "--x"; the first fingerprint of up to
 * five token types that is on libinjection's blacklist ({@link SqlKeywords#isBlacklisted}) and
 * survives its false-positive checks ({@link #notWhitelisted}) is the verdict. Stateless; called
 * concurrently by pool threads, each call owning its own tokenizer.
 *
 * <p>Ported from libinjection, Copyright (c) 2012-2016 Nick Galbreath, BSD-3-Clause (see
 * NOTICE-libinjection.txt in this package's resources).
 */
public final class SqliDetector {
  private SqliDetector() {}

  /**
   * The fingerprint that made {@code input} (one char per byte) look like SQL injection, or null
   * when it does not.
   */
  public static @Nullable String fingerprintIfSqli(String input) {
    if (input == null || input.isEmpty()) {
      return null;
    }
    SqlTokenizer t = new SqlTokenizer(input);
    char[] fp = new char[8];
    int ansi = SqlTokenizer.FLAG_SQL_ANSI;
    int mysql = SqlTokenizer.FLAG_SQL_MYSQL;
    if (check(t, fp, SqlTokenizer.FLAG_QUOTE_NONE, ansi, mysql)) {
      return fingerprint(fp);
    }
    if (input.indexOf('\'') >= 0 && check(t, fp, SqlTokenizer.FLAG_QUOTE_SINGLE, ansi, mysql)) {
      return fingerprint(fp);
    }
    if (input.indexOf('"') >= 0 && check(t, fp, SqlTokenizer.FLAG_QUOTE_DOUBLE, mysql, 0)) {
      return fingerprint(fp);
    }
    return null;
  }

  /**
   * One quote context in {@code first} comment mode, then in {@code second} if the first pass saw
   * MySQL comments.
   */
  private static boolean check(SqlTokenizer t, char[] fp, int quote, int first, int second) {
    if (isInjection(t, fp, fingerprint(t, fp, quote | first))) {
      return true;
    }
    boolean mysqlComments = t.statsCommentDdx > 0 || t.statsCommentHash > 0;
    return second != 0 && mysqlComments && isInjection(t, fp, fingerprint(t, fp, quote | second));
  }

  /**
   * libinjection_sqli_fingerprint: folds the input under {@code flags}; the types of the kept
   * tokens go to fp.
   */
  private static int fingerprint(SqlTokenizer t, char[] fp, int flags) {
    t.reset(flags);
    int tlen = SqliFolder.fold(t);
    SqlToken last = tlen > 2 ? t.tokens[tlen - 1] : null;
    if (last != null
        && last.type == 'n'
        && last.strOpen == '`'
        && last.len == 0
        && last.strClose == 0) {
      last.type = 'c'; // an unclosed ` at the end acts as a comment in MySQL
    }
    boolean evil = false;
    for (int i = 0; i < tlen; i++) {
      fp[i] = t.tokens[i].type;
      evil |= fp[i] == 'X';
    }
    fp[tlen] = 0;
    if (!evil) {
      return strlen(fp);
    }
    fp[0] = 'X';
    fp[1] = 0;
    t.tokens[0].type = 'X';
    Arrays.fill(t.tokens[0].val, (char) 0);
    t.tokens[0].val[0] = 'X';
    t.tokens[1].type = 0;
    return 1;
  }

  private static boolean isInjection(SqlTokenizer t, char[] fp, int len) {
    return len > 0
        && SqlKeywords.isBlacklisted(fp, len)
        && SqliWhitelist.notWhitelisted(t, fp, len);
  }

  private static String fingerprint(char[] fp) {
    return new String(fp, 0, strlen(fp));
  }

  private static int strlen(char[] fp) {
    int n = 0;
    while (n < fp.length && fp[n] != 0) {
      n++;
    }
    return n;
  }
}
