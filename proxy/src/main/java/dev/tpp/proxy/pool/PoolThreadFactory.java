package dev.tpp.proxy.pool;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Names pool threads {@code tpp-pool-NAME-N} so thread dumps and BlockHound reports say which pool ran what. */
final class PoolThreadFactory implements ThreadFactory {
  private final String prefix;
  private final AtomicInteger next = new AtomicInteger();

  PoolThreadFactory(String pool) {
    this.prefix = "tpp-pool-" + pool + "-";
  }

  @Override
  public Thread newThread(Runnable r) {
    Thread t = new Thread(r, prefix + next.getAndIncrement());
    t.setDaemon(true);
    return t;
  }
}
