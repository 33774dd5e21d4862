package dev.tpp.waf.engine.operator;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts backtracking-regex evaluations that were stopped for running past their step budget. The proxy exports
 * {@link #overruns()} as a metric; any thread may read it, pool threads increment it.
 */
public final class RegexBudget {
  private static final AtomicLong OVERRUNS = new AtomicLong();

  private RegexBudget() {}

  /** Total overruns since the JVM started, over every engine. */
  public static long overruns() {
    return OVERRUNS.get();
  }

  static void recordOverrun() {
    OVERRUNS.incrementAndGet();
  }

  /** The number of {@code charAt} calls a fallback regex may make on an input of {@code length} chars. */
  static long budgetFor(int length) {
    return Math.max(1_000_000L, 200L * length);
  }
}
