package dev.tpp.proxy.route.thumbnail;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import org.jspecify.annotations.Nullable;

/**
 * What one thread reuses from one thumbnail to the next, so a render allocates little more than its
 * result: the image readers (one per format) and the JPEG writer with their internal buffers, the
 * decode destination, the scaling steps' scratch images, the encoder's byte-RGB input and its
 * output buffer. Every allocation a pool task saves is time to the next stop-the-world collection,
 * which stalls every event loop. One instance per thread ({@link #current}); never shared, so no
 * locking. Each kept image is at most {@link #MAX_KEPT_PIXELS} pixels (4 MB; a 300x200 route
 * decodes at most about 1200x800); a larger one is allocated for that render only. A pool thread's
 * buffers go with the thread when its pool retires.
 */
final class RenderBuffers {
  static final long MAX_KEPT_PIXELS = 1L << 20;
  private static final ThreadLocal<RenderBuffers> PER_THREAD =
      ThreadLocal.withInitial(RenderBuffers::new);

  private final Map<ImageReaderSpi, ImageReader> readers = new HashMap<>();
  private final ImageWriter jpegWriter = ImageIO.getImageWritersByFormatName("jpeg").next();
  private final Output output = new Output();
  private @Nullable BufferedImage destination;
  private final BufferedImage[] scratch = new BufferedImage[2];
  private @Nullable BufferedImage encodable;
  private int[] row = new int[0];

  private RenderBuffers() {}

  static RenderBuffers current() {
    return PER_THREAD.get();
  }

  /** A reader for {@code in}'s format, reset for a new input; null when no format matches. */
  @Nullable ImageReader reader(ImageInputStream in) throws IOException {
    Iterator<ImageReaderSpi> spis =
        IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, true);
    while (spis.hasNext()) {
      ImageReaderSpi spi = spis.next();
      if (spi.canDecodeInput(in)) {
        ImageReader reader = readers.get(spi);
        if (reader == null) {
          reader = spi.createReaderInstance();
          readers.put(spi, reader);
        }
        reader.reset();
        return reader;
      }
    }
    return null;
  }

  /**
   * An image of {@code type} at least {@code width} x {@code height} to decode into (its top-left
   * corner is used), or null when {@code type} is not a standard one: the reader then allocates its
   * own.
   */
  @Nullable BufferedImage destination(ImageTypeSpecifier type, int width, int height) {
    int standard = type.getBufferedImageType();
    if (standard == BufferedImage.TYPE_CUSTOM) {
      return null;
    }
    BufferedImage kept = destination;
    int w = width;
    int h = height;
    if (kept != null && kept.getType() == standard) {
      if (kept.getWidth() >= width && kept.getHeight() >= height) {
        return kept;
      }
      w = Math.max(width, kept.getWidth());
      h = Math.max(height, kept.getHeight());
    }
    if ((long) w * h > MAX_KEPT_PIXELS) {
      return null;
    }
    destination = type.createBufferedImage(w, h);
    return destination;
  }

  /**
   * RGB scratch image {@code index} (0 or 1), at least {@code width} x {@code height}; the scaling
   * steps draw here.
   */
  BufferedImage scratch(int index, int width, int height) {
    BufferedImage current = scratch[index];
    if (current != null && current.getWidth() >= width && current.getHeight() >= height) {
      return current;
    }
    int w = current == null ? width : Math.max(width, current.getWidth());
    int h = current == null ? height : Math.max(height, current.getHeight());
    BufferedImage grown = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    if ((long) w * h <= MAX_KEPT_PIXELS) {
      scratch[index] = grown;
    }
    return grown;
  }

  /**
   * A byte-interleaved RGB image (samples in R, G, B order) at least {@code width} x {@code height}
   * for the JPEG writer: it copies such rows as they are, where an {@code INT_RGB} source costs it
   * a new {@code int[]} per row (about 720 KB per 300x200 thumbnail).
   */
  BufferedImage encodable(int width, int height) {
    if (encodable != null && encodable.getWidth() >= width && encodable.getHeight() >= height) {
      return encodable;
    }
    int w = encodable == null ? width : Math.max(width, encodable.getWidth());
    int h = encodable == null ? height : Math.max(height, encodable.getHeight());
    WritableRaster raster =
        Raster.createInterleavedRaster(
            DataBuffer.TYPE_BYTE, w, h, w * 3, 3, new int[] {0, 1, 2}, null);
    ComponentColorModel rgb =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_BYTE);
    BufferedImage image = new BufferedImage(rgb, raster, false, null);
    if ((long) w * h <= MAX_KEPT_PIXELS) {
      encodable = image;
    }
    return image;
  }

  /**
   * An {@code int[]} of at least {@code width} pixels: one row on its way to {@link #encodable}.
   */
  int[] row(int width) {
    if (row.length < width) {
      row = new int[width];
    }
    return row;
  }

  /**
   * Forgets {@code reader} after it failed on corrupt data: the next image of its format gets a
   * fresh one.
   */
  void discard(ImageReader reader) {
    readers.values().remove(reader);
    reader.dispose();
  }

  ImageWriter jpegWriter() {
    jpegWriter.reset();
    return jpegWriter;
  }

  /** The encoder's output buffer, emptied. */
  Output output() {
    output.reset();
    return output;
  }

  /** A ByteArrayOutputStream whose buffer is kept between renders. */
  static final class Output extends ByteArrayOutputStream {
    Output() {
      super(16 * 1024);
    }
  }
}
