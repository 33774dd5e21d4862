package dev.tpp.proxy.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.PoolConfig;
import dev.tpp.config.PoolConfig.Overflow;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OffloadPools#apply}: resize in place, swap on a queue or overflow change, drain what it
 * replaced.
 */
class OffloadPoolsTest {
  private final EventLoop loop = new DefaultEventLoop();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final OffloadPools pools = new OffloadPools(PoolMetrics.factory(registry));
  private final CountDownLatch release = new CountDownLatch(1);
  private final Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
  private final CountDownLatch callbacks = new CountDownLatch(6);

  @AfterEach
  void stop() throws InterruptedException {
    release.countDown();
    pools.shutdown(1000);
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  private static PoolConfig config(int threads, int maxQueue, Overflow overflow) {
    return new PoolConfig("p", threads, maxQueue, overflow);
  }

  /**
   * Applies {@code config} and fills the pool: one task blocked until released, five queued behind
   * it.
   */
  private OffloadPool startedWithQueue(PoolConfig config) {
    pools.apply(List.of(config));
    OffloadPool pool = pools.get("p");
    fillQueue(pool);
    return pool;
  }

  /** Releases the blocked task; every task then completes, each having run exactly once. */
  private void releaseAndExpectEachRanOnce() throws InterruptedException {
    release.countDown();
    assertTrue(callbacks.await(5, TimeUnit.SECONDS), "every queued task completed");
    assertEquals(6, runs.size());
    runs.values().forEach(n -> assertEquals(1, n.get(), "none ran twice"));
  }

  /** One task that blocks until released, then five that queue behind it; each counts its runs. */
  private void fillQueue(OffloadPool pool) {
    for (int id = 0; id < 6; id++) {
      int task = id;
      loop.execute(
          () ->
              pool.submit(
                  loop,
                  () -> {
                    if (task == 0) {
                      release.await();
                    }
                    return runs.computeIfAbsent(task, k -> new AtomicInteger()).incrementAndGet();
                  },
                  (n, failure) -> callbacks.countDown()));
    }
    loop.submit(() -> null)
        .syncUninterruptibly(); // the loop runs tasks in order: all six are submitted now
  }

  @Test
  void threadCountChangeResizesTheRunningPoolInPlace() throws Exception {
    OffloadPool pool = startedWithQueue(config(2, 8, Overflow.REJECT));
    assertTrue(pools.apply(List.of(config(8, 8, Overflow.REJECT))).isEmpty());
    assertSame(pool, pools.get("p"), "same pool, queue kept");
    assertEquals(8, pool.threads());
    releaseAndExpectEachRanOnce();
    pools.apply(List.of(config(2, 8, Overflow.REJECT)));
    assertEquals(2, pools.get("p").threads());
  }

  @Test
  void queueOrOverflowChangeSwapsAndTheOldPoolRunsItsQueuedTasksOnce() throws Exception {
    OffloadPool old = startedWithQueue(config(1, 8, Overflow.REJECT));
    List<OffloadPool> retired = pools.apply(List.of(config(1, 16, Overflow.INLINE)));
    assertEquals(List.of(old), retired);
    assertNotSame(old, pools.get("p"));
    assertEquals(Overflow.INLINE, pools.get("p").overflow());
    OffloadPools.retire(retired, 5000);
    releaseAndExpectEachRanOnce();
    assertTrue(old.drain(5, TimeUnit.SECONDS), "the old pool stopped");
  }

  @Test
  void removedPoolDrainsThenStops() throws Exception {
    OffloadPool old = startedWithQueue(config(1, 8, Overflow.REJECT));
    List<OffloadPool> retired = pools.apply(List.of());
    assertEquals(List.of(old), retired);
    assertNull(pools.get("p"));
    OffloadPools.retire(retired, 5000);
    releaseAndExpectEachRanOnce();
    assertTrue(old.drain(5, TimeUnit.SECONDS), "then the pool stopped");
  }
}
