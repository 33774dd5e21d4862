package dev.tpp.waf.engine.libinjection;

import dev.tpp.waf.engine.libinjection.SqlTokenizer.Token;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The verdict on a fingerprint: the shapes libinjection's fingerprint list is made of (breaking out of a literal
 * then logic, a keyword, a function call, a comment or a stacked query; UNION then SELECT; tautologies).
 */
final class SqliFingerprints {
  private static final Pattern UNION_SELECT = Pattern.compile(".*U\\(*E.*");
  private static final Pattern VALUE = Pattern.compile("[1snv]");
  private static final Pattern TAUTOLOGY = Pattern.compile("^[1nv]\\)*&\\(*[1nsv]o\\(*[1nsv].*");
  private static final Pattern LOGIC_CALL = Pattern.compile("^[1nv]\\)*&\\(*(f\\(|\\(E|E).*");
  private static final Pattern STACKED = Pattern.compile("^[1nv]?\\)*;[EkTU].*");
  private static final Pattern CALL_ON_VALUE = Pattern.compile("f\\([1snv](,[1snv])*(\\)|,f).*");

  private SqliFingerprints() {}

  static boolean isInjection(String fp, boolean quoted, List<Token> tokens) {
    if (fp.isEmpty()) return false;
    // UNION SELECT with nothing before or after is not in libinjection's list; with anything more it is
    if (UNION_SELECT.matcher(fp).matches() && !fp.equals("UE")) return true;
    if (quoted) return breaksOut(fp);
    if (TAUTOLOGY.matcher(fp).matches() || LOGIC_CALL.matcher(fp).matches() || STACKED.matcher(fp).matches()) return true;
    // like libinjection: a known function called on plain values, closed or around another call (char(65), abs(x))
    if (CALL_ON_VALUE.matcher(fp).matches()) return true;
    // a number, then a comment cutting off the rest of the query: 1 --, 1/* (MySQL's # alone is not enough)
    if (fp.startsWith("1c") && tokens.stream().filter(t -> t.type() == 'c').noneMatch(t -> t.value().startsWith("#"))) {
      return true;
    }
    // a whole value that is a call to a time or file function: sleep(5), benchmark(...)
    return fp.startsWith("f(") && fp.indexOf(')') > 0 && SqliDetector.dangerousFunction(tokens.get(0));
  }

  /** After the literal the input started in is closed ('s'), what follows must not look like SQL. */
  private static boolean breaksOut(String fp) {
    if (fp.length() < 2 || fp.charAt(0) != 's') return false;
    int i = 1;
    while (i < fp.length() && fp.charAt(i) == ')') i++;
    if (i >= fp.length()) return false;
    char next = fp.charAt(i);
    String rest = fp.substring(i + 1);
    switch (next) {
      case '&':
        return !rest.isEmpty() && "1snvf(E".indexOf(rest.charAt(0)) >= 0;
      case 'U':
        return rest.matches("\\(*E.*"); // a UNION needs its SELECT
      case 'k', 'E', 'B', 'T':
        return true;
      case ';':
        return rest.isEmpty() || "EkTU".indexOf(rest.charAt(0)) >= 0;
      case 'c':
        return i > 1 || rest.isEmpty();
      case 'f':
        return rest.startsWith("(");
      case 'o':
        return rest.startsWith("f(") || rest.length() >= 2 && VALUE.matcher(rest.substring(0, 1)).matches() && rest.charAt(1) == 'o'
            || rest.startsWith("s") && rest.length() == 1;
      default:
        return false;
    }
  }
}
