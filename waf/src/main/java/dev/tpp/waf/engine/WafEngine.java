package dev.tpp.waf.engine;

/**
 * A compiled rule set: built once per config (off the event loop), then shared read-only by pool threads, each of
 * which calls {@link #inspect} for one request at a time. Never touches Netty; never blocks beyond reading the
 * request's spool file.
 */
public interface WafEngine {

  /** Runs phases 1 and 2 over the request. Thread-safe. */
  WafVerdict inspect(WafRequest request);

  /** Number of rules loaded (for logs and /config). */
  int ruleCount();

  /** Starts a builder: add CRS, rule files and inline rules, in that order of loading. */
  static WafEngineBuilder builder() {
    return new WafEngineBuilder();
  }
}
