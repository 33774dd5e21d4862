package dev.tpp.proxy.pool;

import dev.tpp.config.PoolConfig;
import dev.tpp.config.PoolConfig.Overflow;
import dev.tpp.config.PoolConfig.Priority;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A named, bounded offload pool (nginx {@code thread_pool}): blocking or CPU-heavy work leaves the
 * event loop here and its result hops back to the loop that submitted it. Pool threads ({@code
 * tpp-pool-NAME-N}) only ever see the immutable inputs a task captured; they never touch a channel
 * or its buffers.
 *
 * <p>{@link #submit} is called on an event loop. When the queue is full the pool either rejects
 * ({@code overflow: reject}: the callback gets a {@link PoolRejectedException}, the caller answers
 * 503) or runs the task in place ({@code overflow: inline}); {@code threads: 0} always runs in
 * place. Both in-place cases are counted as inlined. With {@code priority: low} its threads run in
 * Linux's {@code SCHED_IDLE} class ({@link ThreadPriority}): they take only the CPU the event loops
 * leave.
 */
public final class OffloadPool {
  private final String name;
  private final int maxQueue;
  private final Overflow overflow;
  private final Priority priority;
  private final @Nullable ThreadPoolExecutor executor; // null when threads == 0
  private final AtomicInteger active = new AtomicInteger();

  /**
   * Tasks running or waiting; admission against threads + maxQueue is ours, not the executor
   * queue's.
   */
  private final AtomicInteger admitted = new AtomicInteger();

  private final PoolMetrics metrics;
  private volatile int threads;

  public OffloadPool(PoolConfig config, PoolMetrics.Factory metricsFactory) {
    this.name = config.name();
    this.maxQueue = config.maxQueue();
    this.overflow = config.overflow();
    this.priority = config.priority() == null ? Priority.NORMAL : config.priority();
    this.threads = config.threads();
    this.executor = threads == 0 ? null : newExecutor(name, threads, maxQueue, priority);
    this.metrics = metricsFactory.create(this);
  }

  /**
   * The executor's own queue is unbounded; {@link #submit} admits at most threads + maxQueue tasks.
   * Counting ourselves (and releasing the slot before the result hops back) means a task submitted
   * from the previous task's callback always finds the thread that just finished, which a
   * SynchronousQueue hand-off does not guarantee.
   */
  private static ThreadPoolExecutor newExecutor(
      String name, int threads, int maxQueue, Priority priority) {
    // Lock-free offer: an event loop submitting never parks on the queue's lock
    // (LinkedBlockingQueue's can).
    BlockingQueue<Runnable> queue = new LinkedTransferQueue<>();
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            queue,
            new PoolThreadFactory(name, priority),
            new ThreadPoolExecutor.AbortPolicy());
    executor.allowCoreThreadTimeOut(false);
    // Threads exist before the first task, so execute() from a loop never takes the executor's main
    // lock to add one.
    executor.prestartAllCoreThreads();
    return executor;
  }

  /**
   * Runs {@code task} in the pool and hands its result (or failure) to {@code callback} on {@code
   * loop}. Call from {@code loop}. The callback always runs on {@code loop}, exactly once.
   */
  public <T> void submit(EventExecutor loop, Callable<T> task, PoolCallback<T> callback) {
    if (executor == null) {
      runInline(task, callback);
      return;
    }
    long enqueued = System.nanoTime();
    if (admitted.incrementAndGet() <= threads + maxQueue) {
      try {
        executor.execute(() -> runPooled(loop, task, callback, enqueued));
        return;
      } catch (RejectedExecutionException shutDown) {
        // a retired pool: fall through to the overflow policy
      }
    }
    admitted.decrementAndGet();
    if (overflow == Overflow.INLINE) {
      runInline(task, callback);
    } else {
      metrics.rejected();
      callback.done(null, new PoolRejectedException(name));
    }
  }

  private <T> void runPooled(
      EventExecutor loop, Callable<T> task, PoolCallback<T> callback, long enqueued) {
    long start = System.nanoTime();
    metrics.waited(start - enqueued);
    active.incrementAndGet();
    Outcome<T> outcome;
    try {
      outcome = Outcome.of(task);
    } finally {
      active.decrementAndGet();
      admitted.decrementAndGet();
    }
    metrics.ran(System.nanoTime() - start, outcome.failure() == null);
    loop.execute(() -> callback.done(outcome.result(), outcome.failure()));
  }

  /**
   * Overflow inline / threads 0: the task runs here, on the event loop, and is counted as inlined.
   */
  private <T> void runInline(Callable<T> task, PoolCallback<T> callback) {
    metrics.inlined();
    long start = System.nanoTime();
    Outcome<T> outcome = Outcome.of(task);
    metrics.ranInline(System.nanoTime() - start);
    callback.done(outcome.result(), outcome.failure());
  }

  /**
   * A task's result or what it threw; one place catches for both the pooled and the inline path.
   */
  private record Outcome<T>(@Nullable T result, @Nullable Throwable failure) {
    static <T> Outcome<T> of(Callable<T> task) {
      try {
        return new Outcome<>(task.call(), null);
      } catch (Throwable t) {
        return new Outcome<>(null, t);
      }
    }
  }

  /** Changes the thread count of a running pool in place (no task is lost). */
  public void resize(int newThreads) {
    if (executor == null || newThreads == 0) {
      throw new IllegalArgumentException(
          "resize: " + name + " cannot change to or from threads: 0 in place");
    }
    if (newThreads > executor.getMaximumPoolSize()) {
      executor.setMaximumPoolSize(newThreads);
      executor.setCorePoolSize(newThreads);
      executor
          .prestartAllCoreThreads(); // here, on the reload thread, not lazily on a loop's execute()
    } else {
      executor.setCorePoolSize(newThreads);
      executor.setMaximumPoolSize(newThreads);
    }
    threads = newThreads;
  }

  /**
   * Stops taking tasks; queued ones still run. Returns true when all finished within the timeout.
   */
  public boolean drain(long timeout, TimeUnit unit) throws InterruptedException {
    if (executor == null) {
      return true;
    }
    executor.shutdown();
    return executor.awaitTermination(timeout, unit);
  }

  /** Stops at once (interrupts running tasks); for shutdown after the drain timeout. */
  public void shutdownNow() {
    if (executor != null) {
      executor.shutdownNow();
    }
    metrics.close();
  }

  public String name() {
    return name;
  }

  public int threads() {
    return threads;
  }

  public int maxQueue() {
    return maxQueue;
  }

  public Overflow overflow() {
    return overflow;
  }

  /**
   * How the pool's threads compete with the event loops ({@code low}: Linux SCHED_IDLE, see
   * ThreadPriority).
   */
  public Priority priority() {
    return priority;
  }

  public int activeThreads() {
    return active.get();
  }

  public int queueSize() {
    return executor == null ? 0 : executor.getQueue().size();
  }

  /**
   * True when this pool can take {@code config} by a resize alone (same queue bound, overflow and
   * priority: a thread cannot raise its own priority back without a capability, so a priority
   * change brings new threads).
   */
  public boolean resizableTo(PoolConfig config) {
    Priority wanted = config.priority() == null ? Priority.NORMAL : config.priority();
    return config.maxQueue() == maxQueue
        && config.overflow() == overflow
        && wanted == priority
        && (threads == 0) == (config.threads() == 0);
  }
}
