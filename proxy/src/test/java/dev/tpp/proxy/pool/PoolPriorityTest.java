package dev.tpp.proxy.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tpp.config.PoolConfig;
import dev.tpp.config.PoolConfig.Overflow;
import dev.tpp.config.PoolConfig.Priority;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code priority: low} puts every pool thread in SCHED_IDLE, as the kernel reports it ({@code chrt
 * -p TID}, the util-linux tool an operator would use, and {@code /proc/self/task/TID/sched});
 * {@code normal} leaves SCHED_OTHER.
 */
class PoolPriorityTest {
  private final EventLoop loop = new DefaultEventLoop();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private OffloadPool pool;

  @AfterEach
  void stop() {
    if (pool != null) {
      pool.shutdownNow();
    }
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  @Test
  void lowPriorityThreadsRunInSchedIdle() throws Exception {
    assumeTrue(ThreadPriority.lowSupported(), "SCHED_IDLE through JNA is Linux-only");
    Set<Integer> tids = tidsOfEveryThread(Priority.LOW, 2);
    assertEquals(2, tids.size(), "both threads reported");
    for (int tid : tids) {
      assertTrue(chrt(tid).contains("SCHED_IDLE"), chrt(tid));
      assertTrue(schedPolicy(tid) == ThreadPriority.SCHED_IDLE, "policy in /proc for " + tid);
    }
  }

  @Test
  void normalPriorityThreadsStayInSchedOther() throws Exception {
    assumeTrue(ThreadPriority.lowSupported(), "TIDs come through JNA");
    for (int tid : tidsOfEveryThread(Priority.NORMAL, 1)) {
      assertTrue(chrt(tid).contains("SCHED_OTHER"), chrt(tid));
    }
  }

  @Test
  void aPriorityChangeIsNotAResize() {
    pool =
        new OffloadPool(
            new PoolConfig("p", 1, 4, Overflow.REJECT, Priority.LOW),
            PoolMetrics.factory(registry));
    assertFalse(pool.resizableTo(new PoolConfig("p", 2, 4, Overflow.REJECT, Priority.NORMAL)));
    assertTrue(pool.resizableTo(new PoolConfig("p", 2, 4, Overflow.REJECT, Priority.LOW)));
  }

  /**
   * Runs {@code threads} tasks that hold each thread until all have started, so each thread reports
   * its TID.
   */
  private Set<Integer> tidsOfEveryThread(Priority priority, int threads) throws Exception {
    pool =
        new OffloadPool(
            new PoolConfig("p", threads, 4, Overflow.REJECT, priority),
            PoolMetrics.factory(registry));
    CountDownLatch all = new CountDownLatch(threads);
    List<CompletableFuture<Integer>> reports = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      CompletableFuture<Integer> tid = new CompletableFuture<>();
      reports.add(tid);
      loop.execute(
          () ->
              pool.submit(
                  loop,
                  () -> {
                    all.countDown();
                    all.await(10, TimeUnit.SECONDS);
                    return ThreadPriority.currentTid();
                  },
                  (t, failure) -> tid.complete(t)));
    }
    Set<Integer> tids = new HashSet<>();
    for (CompletableFuture<Integer> tid : reports) {
      tids.add(tid.get(10, TimeUnit.SECONDS));
    }
    return tids;
  }

  private static String chrt(int tid) throws Exception {
    Process p =
        new ProcessBuilder("chrt", "-p", Integer.toString(tid)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  private static int schedPolicy(int tid) throws Exception {
    for (String line :
        java.nio.file.Files.readAllLines(
            java.nio.file.Path.of("/proc/self/task/" + tid + "/sched"))) {
      if (line.startsWith("policy")) {
        return Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    throw new AssertionError("no policy line for " + tid);
  }
}
