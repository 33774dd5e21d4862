import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes a photo-like JPEG (sky and ground gradients, soft shapes, sensor-like noise) so the demo and the benchmarks
 * have a large image to thumbnail without a binary in the repository. Run as a single-file program:
 * {@code java MakePhoto.java OUT WIDTH HEIGHT}. The seed is fixed: the same arguments give the same file.
 */
public final class MakePhoto {
  private static final float QUALITY = 0.8f;
  private static final int NOISE = 10;

  private MakePhoto() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: java MakePhoto.java OUT WIDTH HEIGHT");
      System.exit(2);
    }
    System.setProperty("java.awt.headless", "true");
    int width = Integer.parseInt(args[1]);
    int height = Integer.parseInt(args[2]);
    Random random = new Random(42);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    paintScene(image, random);
    addNoise(image, random);
    write(image, new File(args[0]));
  }

  private static void paintScene(BufferedImage image, Random random) {
    int w = image.getWidth();
    int h = image.getHeight();
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    int horizon = h * 3 / 5;
    g.setPaint(new GradientPaint(0, 0, new Color(40, 90, 170), 0, horizon, new Color(235, 190, 140)));
    g.fillRect(0, 0, w, horizon);
    g.setPaint(new GradientPaint(0, horizon, new Color(70, 110, 50), w, h, new Color(30, 50, 25)));
    g.fillRect(0, horizon, w, h - horizon);
    g.setColor(new Color(255, 240, 200, 200));
    g.fillOval(w * 2 / 3, h / 8, w / 10, w / 10);
    for (int i = 0; i < 60; i++) {
      g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256), 60 + random.nextInt(120)));
      int x = random.nextInt(w);
      int y = random.nextInt(h);
      int s = 40 + random.nextInt(w / 6);
      if (i % 3 == 0) {
        g.fillOval(x, y, s, s * 2 / 3);
      } else if (i % 3 == 1) {
        g.fillRect(x, y, s, s / 2);
      } else {
        g.setStroke(new BasicStroke(2 + random.nextInt(12)));
        g.drawLine(x, y, x + s, y - s / 3);
      }
    }
    g.dispose();
  }

  /** Per-pixel luminance and colour noise: what makes the JPEG weigh like a real photo. */
  private static void addNoise(BufferedImage image, Random random) {
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int grain = random.nextInt(2 * NOISE + 1) - NOISE;
        int r = clamp(((rgb >> 16) & 0xff) + grain + random.nextInt(5) - 2);
        int gr = clamp(((rgb >> 8) & 0xff) + grain + random.nextInt(5) - 2);
        int b = clamp((rgb & 0xff) + grain + random.nextInt(5) - 2);
        image.setRGB(x, y, (r << 16) | (gr << 8) | b);
      }
    }
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static void write(BufferedImage image, File out) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(QUALITY);
    File parent = out.getAbsoluteFile().getParentFile();
    if (parent != null && !parent.isDirectory() && !parent.mkdirs()) {
      throw new IOException("cannot create " + parent);
    }
    File tmp = new File(out.getPath() + ".tmp");
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(tmp)) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    if (!tmp.renameTo(out)) {
      throw new IOException("cannot rename " + tmp + " to " + out);
    }
  }
}
