package dev.tpp.waf.engine.operator;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts backtracking-regex evaluations that were stopped for running past their step budget. The
 * proxy exports {@link #overruns()} as a metric; any thread may read it, pool threads increment it.
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

  /**
   * The number of {@code charAt} calls a backtracking regex may make on an input of {@code length}
   * chars: linear in the input (a sane pattern tries each start position a few dozen steps deep),
   * so a 1 MiB body costs at most ~50 M reads (~0.1 s), never a pool thread stuck in exponential
   * backtracking.
   */
  static long budgetFor(int length) {
    return Math.max(100_000L, 50L * length);
  }
}
