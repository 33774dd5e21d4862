package dev.tpp.proxy.server;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FutureListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The exchanges in flight on one {@link Generation}, counted per event loop: each loop has its own
 * plain counter ({@link Count}), read and written on that loop only, so a request costs no shared
 * atomic. A loop's counter is made the first time the loop takes the generation (one map insert per
 * loop per generation).
 *
 * <p>Retirement ({@link #retire}, on the control thread, after a newer generation was published)
 * asks every loop that ever took the generation, on that loop, whether its count is zero; a loop
 * answers once it is, then or at its last release. When every loop has answered, the action runs,
 * once, on the thread of the last answer. No loop can take the generation after its own answer: the
 * question runs after the publication of the successor, so every later read on that loop sees the
 * successor; and a loop that first reaches for the generation after retirement began is refused
 * ({@link #tryAcquire} returns null, the caller reads the current one).
 */
final class LoopReferences {
  private final Map<EventExecutor, Count> byLoop = new ConcurrentHashMap<>();
  private final AtomicInteger unanswered = new AtomicInteger();
  private boolean retired; // guarded by this
  private volatile Runnable whenUnused = () -> {};

  /**
   * On {@code loop}: takes a reference for one exchange, or returns null when the generation is
   * retired as far as this loop is concerned.
   */
  @Nullable Count tryAcquire(EventExecutor loop) {
    Count count = byLoop.get(loop);
    if (count == null) {
      count = register(loop);
    }
    return count != null && count.tryAcquire() ? count : null;
  }

  private synchronized @Nullable Count register(EventExecutor loop) {
    if (retired) {
      return null;
    }
    return byLoop.computeIfAbsent(loop, l -> new Count(l, this));
  }

  /**
   * The server no longer publishes the generation: {@code whenUnused} runs once no loop has an
   * exchange on it. Call once, after the successor was published.
   */
  void retire(Runnable whenUnused) {
    List<Count> counts;
    synchronized (this) {
      retired = true;
      counts = List.copyOf(byLoop.values());
    }
    this.whenUnused = whenUnused;
    unanswered.set(counts.size() + 1); // one more for this call, so none can finish first
    for (Count count : counts) {
      count.ask();
    }
    answered();
  }

  private void answered() {
    if (unanswered.decrementAndGet() == 0) {
      whenUnused.run();
    }
  }

  /**
   * One loop's exchanges on the generation. Loop-confined, except the retirement's question ({@link
   * #ask}) and its answer, which a stopping loop gives through its termination instead.
   */
  static final class Count {
    private final EventExecutor loop;
    private final LoopReferences owner;
    private final AtomicBoolean answered = new AtomicBoolean();
    private final FutureListener<Object> stopped = f -> answer();
    private long inFlight;
    private boolean retiring; // the retirement asked this loop; it answers when inFlight is 0

    private Count(EventExecutor loop, LoopReferences owner) {
      this.loop = loop;
      this.owner = owner;
    }

    /** Takes one reference, unless retirement has reached this loop. */
    boolean tryAcquire() {
      if (retiring) {
        return false;
      }
      inFlight++;
      return true;
    }

    /** Drops one reference; the last one on a retiring loop answers the retirement. */
    void release() {
      if (--inFlight < 0) {
        throw new IllegalStateException("generation released more often than acquired");
      }
      if (inFlight == 0 && retiring) {
        answer();
      }
    }

    /**
     * Any thread: asks the loop to answer once it has no exchange on the generation. A loop that
     * stops answers by stopping (its connections closed, their exchanges ended), also when the
     * question came too late to run there.
     */
    private void ask() {
      if (!loop.terminationFuture().isDone()) { // done: stopped (execute refuses), or never stops
        loop.terminationFuture().addListener(stopped);
      }
      try {
        loop.execute(this::retiring);
      } catch (RejectedExecutionException e) {
        answer(); // the loop has stopped
      }
    }

    private void retiring() {
      retiring = true;
      if (inFlight == 0) {
        answer();
      }
    }

    private void answer() {
      if (answered.compareAndSet(false, true)) {
        loop.terminationFuture().removeListener(stopped);
        owner.answered();
      }
    }
  }
}
