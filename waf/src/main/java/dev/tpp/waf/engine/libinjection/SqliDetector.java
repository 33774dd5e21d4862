package dev.tpp.waf.engine.libinjection;

/** Placeholder, replaced by the tokenizer port. */
public final class SqliDetector {
  private SqliDetector() {}

  public static String fingerprintIfSqli(String input) {
    return null;
  }
}
