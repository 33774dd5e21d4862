package dev.tpp.waf.engine.libinjection;

import java.util.List;

/**
 * Generated SQL-shaped inputs for {@link DifferentialCorpus}: seeded random runs of SQL fragments (quotes, comments,
 * keywords, operators, literal prefixes such as x' b' n' q' u&' $$, and the bytes libinjection treats specially: NUL,
 * 0x80, 0xA0), so that every tokenizer and folding path is compared with libinjection, not only the CRS payloads.
 * The same seed gives the same inputs on every run.
 */
final class SqlFragmentInputs {
  private static final String[] FRAGMENTS = {"'", "\"", " ", "1", "0x1f", "0b1", "a", "or", "and", "union", "select",
      "(", ")", "--", "#", "/*", "*/", "/*!", "-", "+", ",", ";", "=", "@", "@@", "`", "$", "\\", "\\N", "x", "q",
      "'a'", "from", "where", "group by", "order", "by", "sleep", "char", "user", "in", "not", "like", "is", "null",
      ".", "{", "}", "[", "]", ":", "::", "int", "collate", "utf8_bin", "E", "e1", "1e", "1.5", ".5", "1d", "!", "~",
      "|", "&", "<", ">", "<=>", "!=", "||", "\n", "\u0080", "\u00a0", "\0", "if", "exec", "waitfor", "delay", "into",
      "outfile", "having", "limit", "sp_password", "b'01'", "x'41'", "n'", "u&'", "q'[", "]'", "%", "*", "/", "$$",
      "$a$", "$1", "case", "when", "then", "end", "insert", "drop", "table", "version", "concat", "current_user", "us",
      "all", "distinct", "top", "declare", "cast", "as", "varchar", "xp_cmdshell", "information_schema.tables",
      "benchmark", "pg_sleep", "load_file", "@@version", "''", "\"\"", "\\'", "'--", "-- -", "#\n", "abc123"};

  private SqlFragmentInputs() {}

  static List<String> generate(long seed, int count) {
    return FragmentRuns.generate(FRAGMENTS, 10, 3, seed, count);
  }
}
