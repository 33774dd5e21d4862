package dev.tpp.config;

import java.util.function.Supplier;

/**
 * The time guard every fuzz target applies to each input: a parser linear in its input finishes
 * well inside {@code 1 s + 50 µs per byte} (20 KB/s, three orders of magnitude below what these
 * parsers do on this host, instrumented and on a busy machine), while a quadratic one does not once
 * the fuzzer grows inputs to tens of KB ({@code make fuzz} allows 64 KB). A run over budget is
 * repeated once and fails only if the repeat is over budget too: the first call of a code path pays
 * for class loading, instrumentation and JIT, and a busy host for a GC pause, none of which is the
 * parser's cost. Shared by the fuzz tests of every module (config's test-jar); called on the test
 * thread.
 */
public final class FuzzBudget {
  private FuzzBudget() {}

  /**
   * Runs {@code work} (which must be repeatable); fails naming {@code what} when both tries are
   * over budget.
   */
  public static <T> T within(String what, int length, Supplier<T> work) {
    return within(what, length, 50, work);
  }

  /**
   * {@link #within(String, int, Supplier)} for work that costs more per byte: {@code
   * microsPerByte}, not 50.
   */
  public static <T> T within(String what, int length, long microsPerByte, Supplier<T> work) {
    long budgetNanos = 1_000_000_000L + microsPerByte * 1000 * length;
    long start = System.nanoTime();
    T result = work.get();
    if (System.nanoTime() - start <= budgetNanos) {
      return result;
    }
    start = System.nanoTime();
    result = work.get();
    long took = System.nanoTime() - start;
    if (took > budgetNanos) {
      throw new AssertionError(
          what
              + " took "
              + took / 1_000_000
              + " ms for "
              + length
              + " bytes (budget "
              + budgetNanos / 1_000_000
              + " ms): more than linear time");
    }
    return result;
  }
}
