package dev.tpp.proxy.route.thumbnail;

import dev.tpp.proxy.route.files.HttpStatusException;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Decodes an image file, scales it to fit a box keeping its aspect ratio (never up), and encodes a JPEG. Pure CPU
 * and file reads, no Netty: called only on pool threads, one image per call, no shared mutable state.
 *
 * <p>Big reductions stay cheap: the decoder subsamples to no less than twice the target, then the image is halved
 * with bilinear interpolation until one last bilinear step reaches the exact size (progressive halving keeps the
 * quality of an area average at a fraction of its cost). Transparent pixels become white; JPEG has no alpha.
 */
public final class ThumbnailRenderer {
  /** Larger sources are refused (415) before decoding: a decompression bomb must not exhaust the heap. */
  static final long MAX_PIXELS = 100_000_000L;
  static final float QUALITY = 0.8f;
  private final int maxWidth;
  private final int maxHeight;

  public ThumbnailRenderer(int maxWidth, int maxHeight) {
    this.maxWidth = maxWidth;
    this.maxHeight = maxHeight;
  }

  /** The JPEG bytes of {@code image}'s thumbnail; 415 when it is not an image ImageIO can decode. */
  public byte[] render(Path image) throws IOException, HttpStatusException {
    BufferedImage source;
    Dimension target;
    try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new HttpStatusException(415, "not a supported image");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if ((long) width * height > MAX_PIXELS) {
          throw new HttpStatusException(415, "image larger than " + MAX_PIXELS + " pixels");
        }
        target = fit(width, height, maxWidth, maxHeight);
        ImageReadParam param = reader.getDefaultReadParam();
        int step = Math.max(1, Math.min(width / (2 * target.width), height / (2 * target.height)));
        param.setSourceSubsampling(step, step, 0, 0); // decode only every step-th pixel: memory and time
        source = reader.read(0, param);
      } catch (IIOException | RuntimeException e) { // corrupt data surfaces as either
        throw new HttpStatusException(415, "image cannot be decoded");
      } finally {
        reader.dispose();
      }
    }
    return encode(scale(source, target));
  }

  /** The largest size within {@code maxWidth} x {@code maxHeight} with the source's aspect ratio, never larger. */
  static Dimension fit(int width, int height, int maxWidth, int maxHeight) {
    double scale = Math.min(1.0, Math.min((double) maxWidth / width, (double) maxHeight / height));
    return new Dimension(
        Math.max(1, (int) Math.round(width * scale)), Math.max(1, (int) Math.round(height * scale)));
  }

  /** Halves (bilinear) while still at least twice the target, then one last step to it; always to RGB. */
  static BufferedImage scale(BufferedImage source, Dimension target) {
    BufferedImage current = source;
    int width = source.getWidth();
    int height = source.getHeight();
    do {
      width = Math.max(target.width, width / 2);
      height = Math.max(target.height, height / 2);
      current = draw(current, width, height);
    } while (width != target.width || height != target.height);
    return current;
  }

  private static BufferedImage draw(BufferedImage source, int width, int height) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(source, 0, 0, width, height, Color.WHITE, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static byte[] encode(BufferedImage image) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
    // an in-memory stream: ImageIO's default output cache would write a temp file
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(QUALITY);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
