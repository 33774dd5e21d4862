package dev.tpp.proxy.server;

import dev.tpp.proxy.clock.LoopClock;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.util.concurrent.RejectedExecutionHandlers;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * The worker event loops, with task queues that never make a loop wait for the thread that posts to
 * it.
 *
 * <p>Netty's default task queue (JCTools' multi-producer array queue) publishes a task in two
 * steps: the producer claims a slot, then stores the task in it. A consumer that finds a claimed
 * slot still empty spins until the store lands. That is harmless between equals, but pool threads
 * at {@code priority: low} run in Linux's {@code SCHED_IDLE} class and post every result back to
 * their worker loop: a pool thread pre-empted between its two steps (a loop waking for I/O
 * pre-empts it at once) leaves the loop spinning on the CPU, and a {@code SCHED_IDLE} thread gets
 * that CPU only in rare slices next to a busy normal thread. Measured in {@code make bench}'s
 * mixed-open scenario: the loop then answered nothing for 0.6 to 1.5 s, in about half of the
 * rounds, with no GC or safepoint pause and the CPU 100% busy in user mode. {@link
 * ConcurrentLinkedQueue} publishes a task with a single compare-and-set, so a loop never sees a
 * half-posted task: it finds the task or finds none, and sleeps in {@code epoll_wait} until the
 * producer's wake-up. It costs one small node per posted task.
 *
 * <p>Each loop keeps a {@link LoopClock}: a new turn of it starts when the loop has woken from its
 * wait and when it turns to its tasks.
 *
 * <p>Thread-safety: as {@link MultiThreadIoEventLoopGroup}; {@link #newChild} runs on the
 * constructing thread.
 */
final class WorkerLoopGroup extends MultiThreadIoEventLoopGroup {

  WorkerLoopGroup(int count, Executor executor, IoHandlerFactory handlers) {
    super(count, executor, handlers);
  }

  @Override
  protected IoEventLoop newChild(Executor executor, IoHandlerFactory handlers, Object... args) {
    return new Loop(this, executor, handlers);
  }

  /**
   * A worker loop whose task queues are {@link ConcurrentLinkedQueue}s, with a {@link LoopClock}
   * (see the class comment).
   */
  private static final class Loop extends SingleThreadIoEventLoop implements LoopClock.Owner {
    private final LoopClock clock = new LoopClock();

    Loop(IoEventLoopGroup parent, Executor executor, IoHandlerFactory handlers) {
      super(
          parent,
          executor,
          handlers,
          new ConcurrentLinkedQueue<>(),
          new ConcurrentLinkedQueue<>(),
          RejectedExecutionHandlers.reject());
    }

    @Override
    public LoopClock clock() {
      return clock;
    }

    @Override
    protected void run() {
      clock.attachToCurrentThread();
      super.run();
    }

    /** Waits for I/O and handles it; the tasks run after this returns. */
    @Override
    protected int runIo() {
      clock.nextTurn(); // what runs before the wait (nothing of ours) and after it read anew
      int handled = super.runIo();
      clock.nextTurn();
      return handled;
    }
  }
}
