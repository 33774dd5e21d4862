package dev.tpp.proxy.route.upstream;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one thread, {@code tpp-upstream-resolver}, on which every upstream re-resolves its DNS names:
 * lookups block, so they never run on an event loop, and one daemon thread is plenty for a lookup
 * per name every few seconds. A slow DNS server delays the next lookups, never a request: requests
 * use the last resolved set meanwhile.
 */
final class UpstreamScheduler {
  private static final ScheduledThreadPoolExecutor EXECUTOR = create();

  private UpstreamScheduler() {}

  private static ScheduledThreadPoolExecutor create() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "tpp-upstream-resolver");
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  /**
   * Runs {@code task} every {@code every}, the first time after one period; cancel the future to
   * stop.
   */
  static ScheduledFuture<?> every(Duration every, Runnable task) {
    long nanos = every.toNanos();
    return EXECUTOR.scheduleWithFixedDelay(task, nanos, nanos, TimeUnit.NANOSECONDS);
  }
}
