package dev.tpp.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.testing.Metrics;
import dev.tpp.proxy.testing.TestProxy;
import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The block metric measures real delay, per worker. */
class BlockTimeIT {
  private static final String BLOCK = "tpp_event_loop_block_seconds";

  @Test
  void recordsFiftyMillisecondBlockOnThatWorkerOnly() throws Exception {
    try (TestProxy proxy =
        TestProxy.start("workers: 2\nroutes: [{path: /, return: {status: 200, body: ok}}]\n")) {
      EventLoop worker0 = proxy.server().workers().loops().get(0);
      EventLoop worker1 = proxy.server().workers().loops().get(1);
      Metrics before = proxy.metrics();

      worker0
          .submit(
              () -> {
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
                long spins = 0;
                while (System.nanoTime() < end) {
                  spins++; // the loop is busy, as with CPU-heavy work run inline
                }
                return spins;
              })
          .sync();
      // The loop waits for this scheduled task; entering that wait closes the busy stretch being
      // measured.
      worker0.schedule(() -> {}, 20, TimeUnit.MILLISECONDS).sync();
      worker1.schedule(() -> {}, 20, TimeUnit.MILLISECONDS).sync();

      Metrics after = proxy.metrics();
      double slow0 = above(after, "0", "0.05") - above(before, "0", "0.05");
      assertTrue(slow0 >= 1, "worker 0 has an observation >= 50 ms");
      assertTrue(after.value(BLOCK + "_count", "worker", "1") > 0, "worker 1 is sampled too");
      assertEquals(
          0,
          above(after, "1", "0.005") - above(before, "1", "0.005"),
          "idle worker 1 never blocked for more than 5 ms");
      assertTrue(after.value("tpp_event_loop_busy_seconds_total", "worker", "0") >= 0.05);
    }
  }

  /** Observations above {@code le} seconds: count minus that bucket. */
  private static double above(Metrics m, String worker, String le) {
    return m.value(BLOCK + "_count", "worker", worker)
        - m.value(BLOCK + "_bucket", "worker", worker, "le", le);
  }
}
