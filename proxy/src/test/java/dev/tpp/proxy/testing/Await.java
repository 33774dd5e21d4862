package dev.tpp.proxy.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

/** Waits for a condition another thread makes true, bounded in time (for state only observable by polling). */
public final class Await {
  private Await() {}

  public static void until(String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("timed out waiting until " + what);
      }
      Thread.onSpinWait();
    }
  }
}
