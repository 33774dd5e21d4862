package dev.tpp.proxy.server;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures how long until a condition that another thread makes true holds, checking every 5 ms (a
 * reload's effect is only observable by asking the proxy). Returns the milliseconds it took, or -1
 * past {@code limitMs}.
 */
public final class Poll {
  private Poll() {}

  public static long millisUntil(long limitMs, Callable<Boolean> condition) throws Exception {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(limitMs);
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        return -1;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }
}
