package dev.tpp.proxy.route.upstream;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code responseTimeout} for one call: how long the origin may stay silent while the proxy waits on it. One
 * scheduled task per call, not per read: when it fires it only checks how long the current wait has lasted and
 * sleeps again for the rest, as Netty's {@code IdleStateHandler} does. Used on the call's event loop only.
 */
final class ResponseTimer {
  private final EventLoop loop;
  private final long timeoutNanos;
  private final Runnable onTimeout;
  private ScheduledFuture<?> task;
  private boolean waiting;
  private long waitingSince;

  ResponseTimer(EventLoop loop, Duration timeout, Runnable onTimeout) {
    this.loop = loop;
    this.timeoutNanos = timeout.toNanos();
    this.onTimeout = onTimeout;
  }

  /** A wait on the origin starts now. */
  void waiting() {
    waiting = true;
    waitingSince = loop.ticker().nanoTime(); // the scheduler's own clock
    if (task == null) {
      task = loop.schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** The origin spoke, or the proxy is not waiting on it (the client is slow to take what came). */
  void notWaiting() {
    waiting = false;
  }

  /** The call is over. */
  void stop() {
    waiting = false;
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }

  private void check() {
    task = null;
    if (!waiting) {
      return; // the next wait schedules a new check
    }
    long left = waitingSince + timeoutNanos - loop.ticker().nanoTime();
    if (left <= 0) {
      waiting = false;
      onTimeout.run();
    } else {
      task = loop.schedule(this::check, left, TimeUnit.NANOSECONDS);
    }
  }
}
