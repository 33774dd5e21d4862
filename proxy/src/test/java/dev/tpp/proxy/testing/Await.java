package dev.tpp.proxy.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for a condition another thread makes true, bounded in time, for state a test can only
 * observe by asking (a metric, a pool's queue, a listening socket). Where the code under test emits
 * an event (a log line, a future, a latch), wait on that instead. Between checks the caller parks,
 * starting at 50 µs and doubling to 20 ms, so a waiting test does not take the CPU the server under
 * test needs.
 */
public final class Await {
  private static final long TIMEOUT_NANOS = 10_000_000_000L;
  private static final long FIRST_PAUSE_NANOS = 50_000L;
  private static final long MAX_PAUSE_NANOS = 20_000_000L;

  private Await() {}

  public static void until(String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT_NANOS;
    long pause = FIRST_PAUSE_NANOS;
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("timed out after 10s waiting until " + what);
      }
      LockSupport.parkNanos(pause);
      pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
    }
  }
}
