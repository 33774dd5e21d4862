package dev.tpp.proxy.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.testing.Metrics;
import dev.tpp.proxy.testing.TestProxy;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The point of the design: with thumbnails in a saturated pool the event loop stays free while
 * /hello keeps answering; with {@code threads: 0} the same work runs on the loop, and the loop
 * metrics show it. Asserts on the loop's busy time against the thumbnail work's own run time, not
 * on wall-clock latency.
 */
class SaturatedPoolIT {
  @TempDir static Path images;

  @BeforeAll
  static void photo() throws Exception {
    BufferedImage img = new BufferedImage(3200, 2400, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setPaint(new GradientPaint(0, 0, Color.ORANGE, 3200, 2400, Color.BLUE));
    g.fillRect(0, 0, 3200, 2400);
    g.dispose();
    // Noise, like a photo's detail: a smooth gradient decodes too fast to be a realistic thumbnail
    // job.
    java.util.SplittableRandom random = new java.util.SplittableRandom(42);
    for (int y = 0; y < 2400; y++) {
      for (int x = 0; x < 3200; x++) {
        img.setRGB(x, y, img.getRGB(x, y) ^ (random.nextInt() & 0x3f3f3f));
      }
    }
    ImageIO.write(img, "jpg", images.resolve("big.jpg").toFile());
  }

  /** What the one worker's loop went through while 12 thumbnails and 20 /hello requests ran. */
  record LoopLoad(double loopBusySeconds, double thumbnailSeconds, long over250ms) {}

  private LoopLoad load(int threads) throws Exception {
    try (TestProxy proxy =
        TestProxy.start(
            """
        workers: 1
        pools: [{name: thumbs, threads: %d, maxQueue: 9, overflow: reject}]
        routes:
          - {path: /thumb/, thumbnail: {root: %s, width: 300, height: 200, pool: thumbs}}
          - {path: /hello, return: {status: 200, body: "hello\\n"}}
        """
                .formatted(threads, images),
            Path.of("."),
            null)) {
      proxy.get("/thumb/big.jpg"); // warm up the image code outside the measurement
      Metrics before = proxy.metrics();
      List<CompletableFuture<HttpResponse<byte[]>>> thumbs = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        thumbs.add(
            proxy
                .client()
                .sendAsync(
                    HttpRequest.newBuilder(proxy.uri("/thumb/big.jpg")).build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
      }
      for (int i = 0; i < 20; i++) {
        assertEquals(200, proxy.get("/hello").statusCode());
      }
      for (CompletableFuture<HttpResponse<byte[]>> t : thumbs) {
        int status = t.get().statusCode();
        assertTrue(status == 200 || status == 503, "thumbnail made or rejected, got " + status);
      }
      Metrics after = proxy.metrics();
      return new LoopLoad(
          after.value("tpp_event_loop_busy_seconds_total")
              - before.value("tpp_event_loop_busy_seconds_total"),
          after.value("tpp_pool_task_run_seconds_sum", "pool", "thumbs")
              - before.value("tpp_pool_task_run_seconds_sum", "pool", "thumbs"),
          Math.round(above(after, "0.25") - above(before, "0.25")));
    }
  }

  private static double above(Metrics m, String le) {
    return m.value("tpp_event_loop_block_seconds_count", "worker", "0")
        - m.value("tpp_event_loop_block_seconds_bucket", "worker", "0", "le", le);
  }

  @Test
  void saturatedPoolLeavesTheLoopFreeWhileInlineWorkBlocksIt() throws Exception {
    LoopLoad pooled = load(2);
    LoopLoad inline = load(0);
    System.out.println("SaturatedPoolIT: pooled " + pooled + ", inline " + inline);
    // The thumbnail work's own run time (the pool's run timer, which counts inline runs too)
    // against the time the
    // loop was busy: inline, the loop's busy time contains all of it; pooled, hardly any. Machine
    // speed cancels out.
    assertTrue(
        inline.thumbnailSeconds() > 0
            && inline.loopBusySeconds() >= 0.9 * inline.thumbnailSeconds(),
        "threads: 0 runs thumbnails on the loop, and the loop's busy time shows it: " + inline);
    assertTrue(
        pooled.thumbnailSeconds() > 0 && pooled.loopBusySeconds() < 0.5 * pooled.thumbnailSeconds(),
        "pool threads: thumbnail work is not on the loop: " + pooled);
    // And no long stall: on a busy 2-core machine a GC pause or the OS descheduling the loop can
    // cost tens of
    // milliseconds, which is real block time too, so the bar for "stalled" is a 250 ms stretch.
    assertEquals(
        0, pooled.over250ms(), "pool threads: the loop never stayed busy for 250 ms: " + pooled);
  }
}
