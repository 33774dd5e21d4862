package dev.tpp.proxy.route.thumbnail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.RouteAction;
import dev.tpp.proxy.route.files.RouteHarness;
import dev.tpp.proxy.statics.LastModified;
import io.netty.handler.codec.http.HttpMethod;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The thumbnail route on a real event loop and pool ({@link RouteHarness}). */
class ThumbnailHandlerTest {
  static final long MODIFIED = 1_700_000_000_000L;
  static final String POOL = "thumbs-unit";

  @TempDir Path root;
  RouteHarness harness;

  @BeforeEach
  void start() throws Exception {
    Path photo = root.resolve("photo.png");
    ImageIO.write(new BufferedImage(1200, 600, BufferedImage.TYPE_INT_RGB), "png", photo.toFile());
    Files.setLastModifiedTime(photo, FileTime.fromMillis(MODIFIED));
    Files.writeString(root.resolve("notes.jpg"), "not an image");
    Files.writeString(
        Files.createDirectories(root.resolve("album")).resolve("index.html"), "<p>album</p>");
    RouteAction.Thumbnail config = new RouteAction.Thumbnail(root.toString(), 300, 200, POOL);
    harness =
        new RouteHarness("/thumb/", config, POOL, 16, pool -> new ThumbnailHandler(config, pool));
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  @Test
  void servesAJpegThatFitsRenderedInThePool() throws Exception {
    RouteHarness.Result r = harness.get("/thumb/photo.png");
    assertEquals(200, r.status());
    assertEquals("image/jpeg", r.headers().get("Content-Type"));
    assertEquals(String.valueOf(r.body().length), r.headers().get("Content-Length"));
    assertEquals("max-age=3600", r.headers().get("Cache-Control"));
    assertEquals(LastModified.format(MODIFIED), r.headers().get("Last-Modified"));
    BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(r.body()));
    assertEquals(300, thumb.getWidth());
    assertEquals(150, thumb.getHeight());
    assertEquals(1, harness.tasks("completed"));
    assertEquals(0, harness.tasks("inlined"));
    assertTrue(
        Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().startsWith("tpp-pool-" + POOL + "-")));
  }

  @Test
  void headHasTheLengthOfTheBodyItOmits() throws Exception {
    int length = harness.get("/thumb/photo.png").body().length;
    RouteHarness.Result head = harness.send(HttpMethod.HEAD, "/thumb/photo.png");
    assertEquals(200, head.status());
    assertEquals(String.valueOf(length), head.headers().get("Content-Length"));
    assertEquals(0, head.body().length);
  }

  @Test
  void notModifiedSkipsTheRender() throws Exception {
    RouteHarness.Result r =
        harness.get("/thumb/photo.png", "If-Modified-Since", LastModified.format(MODIFIED));
    assertEquals(304, r.status());
    assertEquals("max-age=3600", r.headers().get("Cache-Control"));
    assertEquals(0, r.body().length);
  }

  @Test
  void errors() throws Exception {
    assertEquals(415, harness.get("/thumb/notes.jpg").status());
    assertEquals(404, harness.get("/thumb/missing.png").status());
    assertEquals(404, harness.get("/thumb/album/").status()); // no index files for thumbnails
    assertEquals(403, harness.get("/thumb/%2E%2E/etc/passwd").status());
    assertEquals(405, harness.send(HttpMethod.DELETE, "/thumb/photo.png").status());
  }
}
