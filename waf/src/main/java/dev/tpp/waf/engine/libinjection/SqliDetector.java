package dev.tpp.waf.engine.libinjection;

import dev.tpp.waf.engine.libinjection.SqlTokenizer.Token;
import java.util.List;
import java.util.Set;

/**
 * {@code @detectSQLi}: libinjection's approach (tokenize as-is and as if inside a '...' or "..." literal, reduce to a
 * short fingerprint of token types) with a rule-based verdict on the fingerprint in place of libinjection's list of
 * known-bad fingerprints. Stateless; called concurrently by pool threads.
 */
public final class SqliDetector {
  private static final int FINGERPRINT = 8;
  private static final Set<String> TIME_OR_FILE_FUNCTIONS = Set.of("SLEEP", "BENCHMARK", "PG_SLEEP", "LOAD_FILE",
      "EXTRACTVALUE", "UPDATEXML", "DBMS_PIPE.RECEIVE_MESSAGE", "DBMS_LOCK.SLEEP", "UTL_INADDR.GET_HOST_ADDRESS",
      "UTL_HTTP.REQUEST", "GET_LOCK", "XMLTYPE", "PG_READ_FILE", "MASTER_POS_WAIT", "NAME_CONST");

  private SqliDetector() {}

  /** The fingerprint that made {@code input} look like SQL injection, or null when it does not. */
  public static String fingerprintIfSqli(String input) {
    if (input == null || input.isEmpty()) return null;
    String fp = check(input, (char) 0);
    if (fp == null && input.indexOf('\'') >= 0) fp = check(input, '\'');
    if (fp == null && input.indexOf('"') >= 0) fp = check(input, '"');
    return fp;
  }

  private static String check(String input, char quote) {
    List<Token> tokens = SqlTokenizer.tokenize(input, quote);
    StringBuilder b = new StringBuilder();
    for (Token t : tokens) {
      if (b.length() >= FINGERPRINT) break;
      // libinjection folds a leading unary sign into the value that follows
      if (b.length() == 0 && quote == 0 && t.type() == 'o' && "+-!~".contains(t.value()) && tokens.size() > 1) continue;
      b.append(t.type());
    }
    String fp = b.toString();
    return SqliFingerprints.isInjection(fp, quote != 0, tokens) ? fp : null;
  }

  static boolean dangerousFunction(Token t) {
    return t.type() == 'f' && TIME_OR_FILE_FUNCTIONS.contains(t.value().toUpperCase(java.util.Locale.ROOT));
  }
}
