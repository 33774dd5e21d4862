package dev.tpp.proxy.route.thumbnail;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Heap allocated per thumbnail, from the JVM's per-thread allocation counter (exact on a busy host,
 * unlike timings): every allocation a pool task makes brings the next stop-the-world collection
 * closer, and each one stalls every event loop. A 4000x3000 photo decoded in full would allocate 36
 * MB (its RGB raster) before any scaling.
 */
class ThumbnailAllocationTest {
  private static final int RENDERS = 20;
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}x{1} {2} under {3} bytes")
  @CsvSource({"4000, 3000, jpg, 1200000", "2000, 1500, png, 650000"})
  void aThumbnailAllocatesAFractionOfItsSourceRaster(
      int width, int height, String format, long bound) throws Exception {
    long perRender =
        allocatedPerRender(new ThumbnailRenderer(300, 200), photo(width, height, format));
    System.out.printf(
        "event=thumbnail_allocation source=%dx%d.%s target=300x200 bytes_per_render=%d%n",
        width, height, format, perRender);
    assertTrue(
        perRender < bound,
        perRender + " bytes per render (full raster: " + 3L * width * height + ")");
  }

  /**
   * The mean over {@link #RENDERS} renders on this thread after a warm-up (class loading, JIT) of
   * as many.
   */
  static long allocatedPerRender(ThumbnailRenderer renderer, Path image) throws Exception {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    for (int i = 0; i < RENDERS; i++) {
      renderer.render(image);
    }
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < RENDERS; i++) {
      renderer.render(image);
    }
    return (threads.getThreadAllocatedBytes(id) - before) / RENDERS;
  }

  /** A smooth, photo-like image (gradients compress like a photo, unlike a flat colour). */
  private Path photo(int width, int height, String format) throws Exception {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setPaint(new GradientPaint(0, 0, Color.ORANGE, width, height, Color.BLUE));
    g.fillRect(0, 0, width, height);
    g.setPaint(new GradientPaint(0, height, new Color(0, 128, 0, 128), width, 0, Color.WHITE));
    g.fillOval(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    Path file = dir.resolve("photo." + format);
    ImageIO.write(image, format, file.toFile());
    return file;
  }
}
