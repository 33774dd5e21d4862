package dev.tpp.proxy.route.thumbnail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.statics.HttpStatusException;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThumbnailRendererTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}x{1} in {2}x{3} -> {4}x{5}")
  @CsvSource({
    "1200, 600, 300, 200, 300, 150",
    "600, 1200, 300, 200, 100, 200",
    "300, 200, 300, 200, 300, 200",
    "100, 50, 300, 200, 100, 50",
    "4000, 3000, 300, 200, 267, 200",
    "10000, 1, 300, 200, 300, 1",
  })
  void fitsInsideTheBoxKeepingAspectAndNeverUpscales(
      int w, int h, int maxW, int maxH, int ew, int eh) {
    assertEquals(new Dimension(ew, eh), ThumbnailRenderer.fit(w, h, maxW, maxH));
  }

  @Test
  void scalesAPngToAJpegThatFits() throws Exception {
    BufferedImage thumb = render(image(1200, 600, BufferedImage.TYPE_INT_RGB, "png"), 300, 200);
    assertEquals(300, thumb.getWidth());
    assertEquals(150, thumb.getHeight());
    Color left = new Color(thumb.getRGB(10, 75));
    Color right = new Color(thumb.getRGB(290, 75));
    assertTrue(left.getRed() > 200 && left.getBlue() < 60, "left half stays red: " + left);
    assertTrue(right.getBlue() > 200 && right.getRed() < 60, "right half stays blue: " + right);
  }

  @Test
  void bigReductionUsesSubsamplingAndStillFits() throws Exception {
    BufferedImage thumb = render(image(4000, 3000, BufferedImage.TYPE_INT_RGB, "jpg"), 300, 200);
    assertEquals(267, thumb.getWidth());
    assertEquals(200, thumb.getHeight());
  }

  @Test
  void smallImageIsNotUpscaled() throws Exception {
    BufferedImage thumb = render(image(100, 50, BufferedImage.TYPE_INT_RGB, "gif"), 300, 200);
    assertEquals(100, thumb.getWidth());
    assertEquals(50, thumb.getHeight());
  }

  @Test
  void transparencyBecomesWhite() throws Exception {
    BufferedImage clear =
        new BufferedImage(400, 400, BufferedImage.TYPE_INT_ARGB); // all transparent
    Path file = dir.resolve("clear.png");
    ImageIO.write(clear, "png", file.toFile());
    Color c = new Color(render(file, 100, 100).getRGB(50, 50));
    assertTrue(c.getRed() > 245 && c.getGreen() > 245 && c.getBlue() > 245, "white: " + c);
  }

  @Test
  void notAnImageIs415() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.png"), "this is not a png");
    assertEquals(
        415, assertThrows(HttpStatusException.class, () -> render(text, 300, 200)).status());
  }

  @Test
  void truncatedImageIs415() throws Exception {
    byte[] png = Files.readAllBytes(image(800, 600, BufferedImage.TYPE_INT_RGB, "png"));
    Path cut = Files.write(dir.resolve("cut.png"), Arrays.copyOf(png, png.length / 3));
    assertEquals(
        415, assertThrows(HttpStatusException.class, () -> render(cut, 300, 200)).status());
  }

  @Test
  void decompressionBombIsRefusedBeforeDecoding() throws Exception {
    Path bomb =
        Files.write(dir.resolve("bomb.png"), pngHeader(20_000, 20_000)); // 400 megapixels claimed
    HttpStatusException e = assertThrows(HttpStatusException.class, () -> render(bomb, 300, 200));
    assertEquals(415, e.status());
    assertTrue(e.getMessage().contains("larger than"), e.getMessage());
  }

  /** A PNG signature and a valid IHDR chunk for a w x h greyscale image, and nothing else. */
  private static byte[] pngHeader(int w, int h) {
    ByteBuffer ihdr =
        ByteBuffer.allocate(17)
            .put("IHDR".getBytes(StandardCharsets.US_ASCII))
            .putInt(w)
            .putInt(h)
            .put((byte) 8)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(ihdr.array());
    return ByteBuffer.allocate(8 + 4 + 17 + 4)
        .put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
        .putInt(13)
        .put(ihdr.array())
        .putInt((int) crc.getValue())
        .array();
  }

  private BufferedImage render(Path file, int w, int h) throws Exception {
    byte[] jpeg = new ThumbnailRenderer(w, h).render(file);
    assertEquals((byte) 0xFF, jpeg[0]);
    assertEquals((byte) 0xD8, jpeg[1]); // JPEG SOI
    return ImageIO.read(new ByteArrayInputStream(jpeg));
  }

  /** A left-red, right-blue test image written in {@code format}. */
  private Path image(int w, int h, int type, String format) throws Exception {
    BufferedImage image = new BufferedImage(w, h, type);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, w / 2, h);
    g.setColor(Color.BLUE);
    g.fillRect(w / 2, 0, w - w / 2, h);
    g.dispose();
    Path file = dir.resolve(w + "x" + h + "." + format);
    assertTrue(ImageIO.write(image, format, file.toFile()), format);
    return file;
  }
}
