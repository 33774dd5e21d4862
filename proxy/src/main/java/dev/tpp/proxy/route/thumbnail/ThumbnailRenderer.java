package dev.tpp.proxy.route.thumbnail;

import dev.tpp.proxy.statics.HttpStatusException;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Decodes an image file, scales it to fit a box keeping its aspect ratio (never up), and encodes a
 * JPEG. Pure CPU and file reads, no Netty: called only on pool threads, one image per call, no
 * shared mutable state.
 *
 * <p>Big reductions stay cheap: the decoder subsamples to no less than twice the target, then the
 * image is halved with bilinear interpolation until one last bilinear step reaches the exact size
 * (progressive halving keeps the quality of an area average at a fraction of its cost). Transparent
 * pixels become white; JPEG has no alpha. Readers, writer, decode destination and output buffer are
 * the calling thread's, reused ({@link RenderBuffers}): a render allocates about its scaled images
 * and its result.
 */
public final class ThumbnailRenderer {
  /**
   * Larger sources are refused (415) before decoding: a decompression bomb must not exhaust the
   * heap.
   */
  static final long MAX_PIXELS = 100_000_000L;

  static final float QUALITY = 0.8f;
  private final int maxWidth;
  private final int maxHeight;

  public ThumbnailRenderer(int maxWidth, int maxHeight) {
    this.maxWidth = maxWidth;
    this.maxHeight = maxHeight;
  }

  /**
   * The JPEG bytes of {@code image}'s thumbnail; 415 when it is not an image ImageIO can decode.
   */
  public byte[] render(Path image) throws IOException, HttpStatusException {
    RenderBuffers buffers = RenderBuffers.current();
    BufferedImage source;
    Dimension target;
    try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
      ImageReader reader = in == null ? null : buffers.reader(in);
      if (reader == null) {
        throw new HttpStatusException(415, "not a supported image");
      }
      try {
        reader.setInput(in, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if ((long) width * height > MAX_PIXELS) {
          throw new HttpStatusException(415, "image larger than " + MAX_PIXELS + " pixels");
        }
        target = fit(width, height, maxWidth, maxHeight);
        source = decode(reader, width, height, target, buffers);
      } catch (IIOException | RuntimeException e) { // corrupt data surfaces as either
        buffers.discard(reader);
        throw new HttpStatusException(415, "image cannot be decoded");
      }
    }
    return encode(scale(source, target, buffers), buffers);
  }

  /**
   * Decodes only every step-th pixel of every step-th row (ImageIO source subsampling), the step
   * chosen so the result stays at least twice the target: the full-size raster is never allocated.
   * Into the thread's reused destination where the image type allows it; the result is its top-left
   * corner.
   */
  private static BufferedImage decode(
      ImageReader reader, int width, int height, Dimension target, RenderBuffers buffers)
      throws IOException {
    ImageReadParam param = reader.getDefaultReadParam();
    int step = Math.max(1, Math.min(width / (2 * target.width), height / (2 * target.height)));
    param.setSourceSubsampling(step, step, 0, 0);
    int decodedWidth = (width + step - 1) / step;
    int decodedHeight = (height + step - 1) / step;
    Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
    BufferedImage into =
        types.hasNext() ? buffers.destination(types.next(), decodedWidth, decodedHeight) : null;
    if (into == null) {
      return reader.read(0, param);
    }
    param.setDestination(into);
    return reader.read(0, param).getSubimage(0, 0, decodedWidth, decodedHeight);
  }

  /**
   * The largest size within {@code maxWidth} x {@code maxHeight} with the source's aspect ratio,
   * never larger.
   */
  static Dimension fit(int width, int height, int maxWidth, int maxHeight) {
    double scale = Math.min(1.0, Math.min((double) maxWidth / width, (double) maxHeight / height));
    return new Dimension(
        Math.max(1, (int) Math.round(width * scale)),
        Math.max(1, (int) Math.round(height * scale)));
  }

  /**
   * Halves (bilinear) while still at least twice the target, then one last step to it; always to
   * RGB. Each step draws into the top-left corner of one of the thread's two scratch images, in
   * turn; the result is the corner of the last.
   */
  static BufferedImage scale(BufferedImage source, Dimension target, RenderBuffers buffers) {
    BufferedImage current = source;
    BufferedImage drawn;
    int width = source.getWidth();
    int height = source.getHeight();
    int turn = 0;
    do {
      width = Math.max(target.width, width / 2);
      height = Math.max(target.height, height / 2);
      drawn = buffers.scratch(turn++ % 2, width, height);
      draw(current, drawn, width, height);
      current =
          drawn.getWidth() == width && drawn.getHeight() == height
              ? drawn
              : drawn.getSubimage(0, 0, width, height);
    } while (width != target.width || height != target.height);
    return current;
  }

  private static void draw(BufferedImage source, BufferedImage into, int width, int height) {
    Graphics2D g = into.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(source, 0, 0, width, height, Color.WHITE, null);
    } finally {
      g.dispose();
    }
  }

  /**
   * JPEG at {@link #QUALITY} of {@code image} (the scaled RGB corner), through the thread's
   * byte-RGB image, which the writer reads without converting row by row.
   */
  private static byte[] encode(BufferedImage image, RenderBuffers buffers) throws IOException {
    int width = image.getWidth();
    int height = image.getHeight();
    BufferedImage rgb = buffers.encodable(width, height);
    toRgbBytes(image.getRaster(), rgb, buffers.row(width));
    ImageWriter writer = buffers.jpegWriter();
    RenderBuffers.Output bytes = buffers.output();
    // an in-memory stream: ImageIO's default output cache would write a temp file
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setSourceRegion(new Rectangle(0, 0, width, height));
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(QUALITY);
      writer.write(null, new IIOImage(rgb, null, null), param);
    } finally {
      writer.setOutput(null);
    }
    return bytes.toByteArray();
  }

  /**
   * Copies {@code from} (packed {@code INT_RGB} pixels) into the top-left corner of {@code to} (R,
   * G, B bytes), one row at a time through {@code row}.
   */
  private static void toRgbBytes(Raster from, BufferedImage to, int[] row) {
    byte[] bytes = ((DataBufferByte) to.getRaster().getDataBuffer()).getData();
    int stride = to.getWidth() * 3;
    int width = from.getWidth();
    for (int y = 0; y < from.getHeight(); y++) {
      from.getDataElements(from.getMinX(), from.getMinY() + y, width, 1, row);
      for (int x = 0, at = y * stride; x < width; x++) {
        int pixel = row[x];
        bytes[at++] = (byte) (pixel >> 16);
        bytes[at++] = (byte) (pixel >> 8);
        bytes[at++] = (byte) pixel;
      }
    }
  }
}
