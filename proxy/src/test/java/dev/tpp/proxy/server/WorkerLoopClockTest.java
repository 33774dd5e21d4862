package dev.tpp.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.clock.LoopClock;
import dev.tpp.proxy.clock.MeterClock;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A worker loop reads the clock once per turn: what runs in one turn sees one time, the next turn a
 * new one; timers and Micrometer's windows read that clock on the loop and the exact one elsewhere.
 */
class WorkerLoopClockTest {
  private final WorkerLoopGroup group =
      new WorkerLoopGroup(
          1,
          new ThreadPerTaskExecutor(new DefaultThreadFactory("clock-test", false)),
          NioIoHandler.newFactory());
  private final EventExecutor loop = group.next();

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void oneTurnSeesOneTimeAndTheNextTurnALaterOne() throws Exception {
    long[] first = new long[3];
    loop.submit(
            () -> {
              first[0] = LoopClock.nanoTime(loop);
              long spinUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3);
              while (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
              }
              first[1] = LoopClock.nanoTime(loop);
              first[2] = LoopClock.timerNanos(loop);
            })
        .get(10, TimeUnit.SECONDS);
    assertEquals(first[0], first[1], "two readings in one turn, 3 ms apart");
    assertEquals(first[0], first[2], "timers read the same clock on a worker loop");

    // Due 5 ms later, the task runs after the loop has waited for it: a new turn.
    long later =
        loop.schedule(() -> LoopClock.nanoTime(loop), 5, TimeUnit.MILLISECONDS)
            .get(10, TimeUnit.SECONDS);
    assertTrue(
        later - first[0] >= TimeUnit.MILLISECONDS.toNanos(5),
        "the next turn reads the clock anew: " + (later - first[0]) + " ns later");
  }

  @Test
  void timersOnOtherLoopsShareTheWorkerLoopsTimeBase() throws Exception {
    // A TLS connection arms its timers on a worker loop after its handshake ran on another loop
    // (Netty's own kind, which keeps no LoopClock): readings on both must be comparable.
    MultiThreadIoEventLoopGroup other =
        new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      EventExecutor plain = other.next();
      long onPlain = plain.submit(() -> LoopClock.timerNanos(plain)).get(10, TimeUnit.SECONDS);
      long onWorker = loop.submit(() -> LoopClock.timerNanos(loop)).get(10, TimeUnit.SECONDS);
      long now = System.nanoTime();
      assertTrue(
          Math.abs(onWorker - onPlain) < TimeUnit.SECONDS.toNanos(5),
          "one base: " + onPlain + " vs " + onWorker);
      assertTrue(onPlain <= now && onWorker <= now, "neither is ahead of System.nanoTime()");
    } finally {
      other.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void meterClockFollowsTheLoopClockOnTheLoopAndTheExactClockElsewhere() throws Exception {
    MeterClock clock = new MeterClock();
    long[] onLoop = new long[3];
    loop.submit(
            () -> {
              onLoop[0] = clock.wallTime();
              long spinUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3);
              while (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
              }
              onLoop[1] = clock.wallTime();
              onLoop[2] = LoopClock.current() == null ? 0 : 1;
            })
        .get(10, TimeUnit.SECONDS);
    assertEquals(onLoop[0], onLoop[1], "one turn, one wall time");
    assertEquals(1, onLoop[2], "the worker loop's thread has its clock");
    assertNull(LoopClock.current(), "a thread that is no worker loop has none");
    long before = clock.wallTime();
    Thread.sleep(20);
    long after = clock.wallTime();
    assertTrue(after - before >= 20, "elsewhere the exact clock: " + (after - before) + " ms");
    assertTrue(
        Math.abs(after - System.currentTimeMillis()) < 1000,
        "offset to the wall clock: " + after + " vs " + System.currentTimeMillis());
  }
}
