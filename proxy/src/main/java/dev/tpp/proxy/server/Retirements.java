package dev.tpp.proxy.server;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases what a reload replaced, off the event loops and off the reloading thread: a worker
 * generation's connections drain (in-flight requests finish, idle keepalive connections close, a
 * busy one gets {@code Connection: close} on its next response), then its loops stop; a
 * generation's route handlers close once its last exchange ended. Threads ({@code tpp-retire-N})
 * exist only while there is something to retire.
 */
final class Retirements {
  private static final Logger log = LoggerFactory.getLogger("tpp.reload");

  private final AtomicInteger threadIds = new AtomicInteger();
  private final ThreadPoolExecutor executor =
      new ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          1,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          r -> {
            Thread t = new Thread(r, "tpp-retire-" + threadIds.getAndIncrement());
            t.setDaemon(true);
            return t;
          });
  private final Set<Workers> retiring = ConcurrentHashMap.newKeySet();

  /** Runs {@code task} on a retirement thread (any thread may call). */
  void run(Runnable task) {
    executor.execute(task);
  }

  /**
   * Drains {@code old}'s connections for at most {@code timeoutMs}, stops its loops, then runs
   * {@code after}. Call once no listening socket hands new connections to {@code old} any more;
   * {@code acceptsInFlight} waits for those already on their way, which register (and so drain
   * themselves) before the loops are stopped.
   */
  void retire(Workers old, long timeoutMs, Runnable acceptsInFlight, Runnable after) {
    retiring.add(old);
    old.markRetiring();
    for (Channel ch : old.channels()) {
      ConnectionLifecycle.drain(ch);
    }
    run(
        () -> {
          long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
          acceptsInFlight.run();
          awaitRegistrations(old, deadline);
          int drained = old.channels().size();
          try {
            while (!old.channels().isEmpty() && System.nanoTime() < deadline) {
              old.channels()
                  .newCloseFuture()
                  .await(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            int cut = old.channels().size();
            old.channels().close().awaitUninterruptibly(1, TimeUnit.SECONDS);
            old.shutdownGracefully(0, 2000).await(3, TimeUnit.SECONDS);
            log.info(
                "event=workers_retired workers={} connections_drained={} connections_cut={}",
                old.size(),
                drained,
                cut);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            retiring.remove(old);
            after.run();
          }
        });
  }

  /**
   * Returns once a task on each of {@code old}'s loops has run, so every registration submitted
   * before it has too (the connection is then in {@code old.channels()} and drains itself), or at
   * {@code deadline}. Bounded by the drain's own deadline, not a shorter one: a starved loop that
   * has not registered a connection yet when its generation stops would cut it unserved.
   */
  private static void awaitRegistrations(Workers old, long deadline) {
    long start = System.nanoTime();
    for (EventLoop loop : old.allLoops()) {
      loop.submit(() -> {})
          .awaitUninterruptibly(
              Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    if (waitedMs >= SLOW_LOOPS_MS) {
      log.info("event=workers_retire_loops_slow workers={} waited_ms={}", old.size(), waitedMs);
    }
  }

  /** A wait for the old loops this long is worth a log line: they are starved or blocked. */
  private static final long SLOW_LOOPS_MS = 1000;

  /** Stops everything still retiring at once (server close). */
  void close() throws InterruptedException {
    for (Workers w : retiring) {
      w.channels().close().awaitUninterruptibly(1, TimeUnit.SECONDS);
      w.shutdownGracefully(0, 1000).await(2, TimeUnit.SECONDS);
    }
    executor.shutdown();
    executor.awaitTermination(3, TimeUnit.SECONDS);
  }
}
