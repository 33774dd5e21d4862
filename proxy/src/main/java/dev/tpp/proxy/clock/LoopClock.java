package dev.tpp.proxy.clock;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The monotonic clock of one event loop, read at most once per loop turn: the first reading after
 * the loop wakes from its wait, or after it starts its queued tasks, is kept until the next such
 * point. A proxied request read the clock eight times (timeouts armed and disarmed, the pooled
 * connection's idle stamp, the exchange's start, Micrometer's time windows): 4.7 % of the event
 * loop's user time in scenario 1's profile (bench/README.md, issue 13). nginx keeps its time the
 * same way ({@code ngx_time_update} once per event-loop iteration).
 *
 * <p>A reading is at most one turn old: a turn is a busy stretch, which {@code
 * tpp_event_loop_block_seconds} measures and which stays well below a millisecond unless the loop
 * is overloaded. So a deadline taken from it comes due at most that much early, and a duration that
 * starts from it includes the time the request's bytes waited in the turn before their turn came,
 * which the client waited too. What needs the exact time (a duration's end) reads {@link
 * System#nanoTime()}.
 *
 * <p>Only the loop's own thread uses an instance.
 */
public final class LoopClock {
  private static final FastThreadLocal<LoopClock> CURRENT = new FastThreadLocal<>();

  /** {@link System#nanoTime()} less Netty's scheduler clock, which counts from its own start. */
  private static final long TICKER_BASE = System.nanoTime() - Ticker.systemTicker().nanoTime();

  private long nanos;
  private boolean fresh;

  /** {@link System#nanoTime()} as this turn first read it. */
  public long nanoTime() {
    if (!fresh) {
      nanos = System.nanoTime();
      fresh = true;
    }
    return nanos;
  }

  /** The loop starts a new turn (it woke from its wait, or turns to its tasks). */
  public void nextTurn() {
    fresh = false;
  }

  /**
   * The loop clock of {@code executor} when it is a loop that keeps one (the worker loops), else
   * {@link System#nanoTime()}: the same time base either way.
   */
  public static long nanoTime(Executor executor) {
    return executor instanceof Owner owner ? owner.clock().nanoTime() : System.nanoTime();
  }

  /**
   * For timers of tasks scheduled on {@code executor}: its loop clock when it keeps one, else its
   * scheduler's clock (which a test's {@code EmbeddedChannel} can freeze and advance), shifted to
   * {@link System#nanoTime()}'s base. So a deadline taken on one loop still holds on another: a
   * channel can move between loops (a TLS connection leaves its handshake loop).
   */
  public static long timerNanos(EventExecutor executor) {
    return executor instanceof Owner owner
        ? owner.clock().nanoTime()
        : executor.ticker().nanoTime() + TICKER_BASE;
  }

  /** Makes this the clock of the calling thread, its loop's ({@link #current()}). */
  public void attachToCurrentThread() {
    CURRENT.set(this);
  }

  /** The clock of the loop the calling thread runs, or null on any other thread. */
  public static @Nullable LoopClock current() {
    return CURRENT.getIfExists();
  }

  /** An event loop that keeps a {@link LoopClock} and starts a new turn of it as it goes. */
  public interface Owner {
    LoopClock clock();
  }
}
