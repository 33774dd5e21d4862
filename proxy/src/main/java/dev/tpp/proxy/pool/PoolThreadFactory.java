package dev.tpp.proxy.pool;

import dev.tpp.config.PoolConfig.Priority;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names pool threads {@code tpp-pool-NAME-N} so thread dumps and BlockHound reports say which pool
 * ran what, and has each new thread put itself in the pool's {@link ThreadPriority} before it runs
 * a task.
 */
final class PoolThreadFactory implements ThreadFactory {
  private final String prefix;
  private final String pool;
  private final Priority priority;
  private final AtomicInteger next = new AtomicInteger();

  PoolThreadFactory(String pool, Priority priority) {
    this.prefix = "tpp-pool-" + pool + "-";
    this.pool = pool;
    this.priority = priority;
  }

  @Override
  public Thread newThread(Runnable r) {
    Runnable prioritized =
        () -> {
          ThreadPriority.applyToCurrentThread(pool, priority);
          r.run();
        };
    Thread t = new Thread(prioritized, prefix + next.getAndIncrement());
    t.setDaemon(true);
    return t;
  }
}
