package dev.tpp.proxy.route.upstream;

import dev.tpp.proxy.clock.LoopClock;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * {@code responseTimeout}: how long the origin may stay silent while the proxy waits on it. One per
 * upstream connection, handed to each call that uses it ({@link #attach}), with at most one
 * scheduled check that outlives the calls: when it fires it only checks how long the current wait
 * has lasted and sleeps again for the rest, as Netty's {@code IdleStateHandler} does. So a
 * keepalive connection schedules a check about once per timeout, not one per request (the profile
 * showed a scheduled task made and cancelled per request). Used on the connection's loop only.
 */
final class ResponseTimer {
  private final EventLoop loop;
  private long timeoutNanos;
  private @Nullable Runnable onTimeout;
  private @Nullable ScheduledFuture<?> task;
  private long taskDue; // when the pending check runs, on the scheduler's clock
  private boolean waiting;
  private long waitingSince;

  ResponseTimer(EventLoop loop) {
    this.loop = loop;
  }

  /** A timer already attached to one call (tests). */
  ResponseTimer(EventLoop loop, Duration timeout, Runnable onTimeout) {
    this(loop);
    attach(timeout, onTimeout);
  }

  /** A call starts using the connection: its timeout, and what to run when a wait outlasts it. */
  void attach(Duration timeout, Runnable onTimeout) {
    this.waiting = false;
    this.timeoutNanos = timeout.toNanos();
    this.onTimeout = onTimeout;
  }

  /** A wait on the origin starts now. */
  void waiting() {
    waiting = true;
    waitingSince = LoopClock.timerNanos(loop); // read once per loop turn
    long due = waitingSince + timeoutNanos;
    if (task != null && taskDue > due) {
      cancelTask(); // a shorter timeout than the call before had (a reloaded config)
    }
    if (task == null) {
      schedule(timeoutNanos);
    }
  }

  /** The origin spoke, or the proxy is not waiting on it (the client is slow to take what came). */
  void notWaiting() {
    waiting = false;
  }

  /** The call is over; a pending check finds nothing to do, or serves the next call. */
  void stop() {
    waiting = false;
    onTimeout = null;
  }

  /** The connection closed: no check stays scheduled for it. */
  void close() {
    stop();
    cancelTask();
  }

  private void schedule(long nanos) {
    taskDue = LoopClock.timerNanos(loop) + nanos;
    task = loop.schedule(this::check, nanos, TimeUnit.NANOSECONDS);
  }

  private void cancelTask() {
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
    long left = waitingSince + timeoutNanos - LoopClock.timerNanos(loop);
    if (left <= 0) {
      Runnable expired = Objects.requireNonNull(onTimeout, "onTimeout: set while waiting");
      stop();
      expired.run();
    } else {
      schedule(left);
    }
  }
}
