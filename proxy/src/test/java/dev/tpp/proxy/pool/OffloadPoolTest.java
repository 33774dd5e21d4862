package dev.tpp.proxy.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.PoolConfig;
import dev.tpp.config.PoolConfig.Overflow;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OffloadPoolTest {
  private final EventLoop loop = new DefaultEventLoop();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  private OffloadPool pool(int threads, int maxQueue, Overflow overflow) {
    return new OffloadPool(
        new PoolConfig("p", threads, maxQueue, overflow), PoolMetrics.factory(registry));
  }

  /**
   * Submits from the loop, as handlers do; completes with "thread that ran the task|thread of the
   * callback".
   */
  private CompletableFuture<String> submit(OffloadPool pool, boolean block) {
    CompletableFuture<String> done = new CompletableFuture<>();
    loop.execute(
        () ->
            pool.submit(
                loop,
                () -> {
                  if (block) {
                    release.await();
                  }
                  return Thread.currentThread().getName();
                },
                (ran, failure) -> {
                  if (failure != null) {
                    done.completeExceptionally(failure);
                  } else {
                    done.complete(ran + "|" + Thread.currentThread().getName());
                  }
                }));
    return done;
  }

  private double count(String outcome) {
    return registry.get("tpp.pool.tasks").tag("outcome", outcome).counter().count();
  }

  @Test
  void runsTaskOnNamedPoolThreadAndHopsBackToTheLoop() throws Exception {
    String[] threads =
        submit(pool(2, 4, Overflow.REJECT), false).get(5, TimeUnit.SECONDS).split("\\|");
    assertTrue(threads[0].startsWith("tpp-pool-p-"), threads[0]);
    assertTrue(
        loop.submit(() -> Thread.currentThread().getName()).get().equals(threads[1]),
        "callback on the loop");
    assertEquals(1, count("completed"));
  }

  @Test
  void rejectsWhenQueueFull() throws Exception {
    OffloadPool pool = pool(1, 1, Overflow.REJECT);
    CompletableFuture<String> running = submit(pool, true);
    CompletableFuture<String> queued = submit(pool, true);
    CompletableFuture<String> rejected = submit(pool, true);
    Throwable failure = rejected.handle((r, f) -> f).get(5, TimeUnit.SECONDS);
    assertInstanceOf(PoolRejectedException.class, failure);
    assertEquals(1, count("rejected"));
    release.countDown();
    running.get(5, TimeUnit.SECONDS);
    queued.get(5, TimeUnit.SECONDS);
    assertEquals(2, count("completed"));
  }

  @Test
  void runsOnTheLoopWhenFullAndOverflowIsInline() throws Exception {
    OffloadPool pool = pool(1, 0, Overflow.INLINE);
    CompletableFuture<String> running = submit(pool, true);
    String[] inline = submit(pool, false).get(5, TimeUnit.SECONDS).split("\\|");
    assertEquals(inline[1], inline[0], "ran on the loop itself");
    assertEquals(1, count("inlined"));
    release.countDown();
    running.get(5, TimeUnit.SECONDS);
  }

  @Test
  void zeroThreadsAlwaysRunsInline() throws Exception {
    String[] t = submit(pool(0, 0, Overflow.REJECT), false).get(5, TimeUnit.SECONDS).split("\\|");
    assertEquals(t[1], t[0]);
    assertEquals(1, count("inlined"));
  }

  @Test
  void countsFailedTasksAndPassesTheFailureBack() throws Exception {
    OffloadPool pool = pool(1, 1, Overflow.REJECT);
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    loop.execute(
        () ->
            pool.submit(
                loop,
                () -> {
                  throw new IllegalStateException("boom");
                },
                (r, f) -> failure.complete(f)));
    assertEquals("boom", failure.get(5, TimeUnit.SECONDS).getMessage());
    assertEquals(1, count("failed"));
  }

  @Test
  void resizesInPlaceWithoutLosingQueuedTasks() throws Exception {
    OffloadPool pool = pool(1, 8, Overflow.REJECT);
    CompletableFuture<String> a = submit(pool, true);
    CompletableFuture<String> b = submit(pool, true);
    pool.resize(3);
    assertEquals(3, registry.get("tpp.pool.threads").gauge().value());
    release.countDown();
    a.get(5, TimeUnit.SECONDS);
    b.get(5, TimeUnit.SECONDS);
    assertEquals(2, count("completed"));
  }
}
