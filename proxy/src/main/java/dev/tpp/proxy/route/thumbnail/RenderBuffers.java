package dev.tpp.proxy.route.thumbnail;

import java.awt.image.BufferedImage;
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

/**
 * What one thread reuses from one thumbnail to the next, so a render allocates little more than its
 * result: the image readers (one per format) and the JPEG writer with their internal buffers, the
 * decode destination, and the encoder's output buffer. Every allocation a pool task saves is time
 * to the next stop-the-world collection, which stalls every event loop. One instance per thread
 * ({@link #current}); never shared, so no locking. Each kept image is at most {@link
 * #MAX_KEPT_PIXELS} pixels (4 MB; a 300x200 route decodes at most about 1200x800); a larger one is
 * allocated for that render only. A pool thread's buffers go with the thread when its pool retires.
 */
final class RenderBuffers {
  static final long MAX_KEPT_PIXELS = 1L << 20;
  private static final ThreadLocal<RenderBuffers> PER_THREAD =
      ThreadLocal.withInitial(RenderBuffers::new);

  private final Map<ImageReaderSpi, ImageReader> readers = new HashMap<>();
  private final ImageWriter jpegWriter = ImageIO.getImageWritersByFormatName("jpeg").next();
  private final Output output = new Output();
  private BufferedImage destination;
  private final BufferedImage[] scratch = new BufferedImage[2];

  private RenderBuffers() {}

  static RenderBuffers current() {
    return PER_THREAD.get();
  }

  /** A reader for {@code in}'s format, reset for a new input; null when no format matches. */
  ImageReader reader(ImageInputStream in) throws IOException {
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
  BufferedImage destination(ImageTypeSpecifier type, int width, int height) {
    int standard = type.getBufferedImageType();
    if (standard == BufferedImage.TYPE_CUSTOM) {
      return null;
    }
    boolean sameType = destination != null && destination.getType() == standard;
    if (sameType && destination.getWidth() >= width && destination.getHeight() >= height) {
      return destination;
    }
    int w = sameType ? Math.max(width, destination.getWidth()) : width;
    int h = sameType ? Math.max(height, destination.getHeight()) : height;
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
