package dev.tpp.waf.engine;

/**
 * Rules that could not be loaded: the message names the source (file or {@code rules}), the line,
 * and the problem.
 */
public final class WafCompileException extends Exception {
  public WafCompileException(String message) {
    super(message);
  }

  public WafCompileException(String message, Throwable cause) {
    super(message, cause);
  }
}
