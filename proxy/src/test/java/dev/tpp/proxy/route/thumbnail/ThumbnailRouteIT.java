package dev.tpp.proxy.route.thumbnail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.route.files.PoolEvidence;
import dev.tpp.proxy.testing.RawClient;
import dev.tpp.proxy.testing.TestProxy;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The thumbnail route on the real server: dimensions, caching headers, errors, and where the work ran. */
class ThumbnailRouteIT {
  static final String POOL = "it-thumbs";
  @TempDir static Path root;
  static TestProxy proxy;

  @BeforeAll
  static void start() throws Exception {
    write(1600, 900, "wide.jpg", "jpg");
    write(500, 1000, "tall.png", "png");
    write(120, 80, "small.png", "png");
    Files.writeString(root.resolve("broken.jpg"), "not a jpeg at all");
    proxy = TestProxy.start("workers: 1\n"
        + "pools: [{name: " + POOL + ", threads: 2, maxQueue: 16, overflow: reject}]\n"
        + "routes:\n"
        + "  - {path: /thumb/, waf: false, thumbnail: {root: \"" + root + "\", width: 300, height: 200, pool: "
        + POOL + "}}\n");
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
  }

  private static void write(int w, int h, String name, String format) throws Exception {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.ORANGE);
    g.fillRect(0, 0, w, h);
    g.dispose();
    ImageIO.write(image, format, root.resolve(name).toFile());
  }

  private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri(path));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return proxy.client().send(request.build(), BodyHandlers.ofByteArray());
  }

  private static BufferedImage thumbnail(String path) throws Exception {
    HttpResponse<byte[]> r = get(path);
    assertEquals(200, r.statusCode(), path);
    assertEquals("image/jpeg", r.headers().firstValue("content-type").orElseThrow());
    assertEquals("max-age=3600", r.headers().firstValue("cache-control").orElseThrow());
    assertEquals(String.valueOf(r.body().length), r.headers().firstValue("content-length").orElseThrow());
    return ImageIO.read(new ByteArrayInputStream(r.body()));
  }

  @Test
  void fitsIn300x200KeepingTheAspectRatioRenderedInThePool() throws Throwable {
    PoolEvidence.assertRanInPool(proxy, POOL, 2, () -> { // one task per render
      BufferedImage wide = thumbnail("/thumb/wide.jpg");
      assertEquals(300, wide.getWidth());
      assertEquals(169, wide.getHeight()); // 1600x900 * 0.1875 = 300x168.75
      BufferedImage tall = thumbnail("/thumb/tall.png");
      assertEquals(100, tall.getWidth());
      assertEquals(200, tall.getHeight());
    });
  }

  @Test
  void neverUpscales() throws Exception {
    BufferedImage small = thumbnail("/thumb/small.png");
    assertEquals(120, small.getWidth());
    assertEquals(80, small.getHeight());
  }

  @Test
  void answers304ForAnUnchangedSource() throws Exception {
    String lastModified = get("/thumb/wide.jpg").headers().firstValue("last-modified").orElseThrow();
    assertEquals(304, get("/thumb/wide.jpg", "If-Modified-Since", lastModified).statusCode());
  }

  @Test
  void answersErrors() throws Exception {
    assertEquals(415, get("/thumb/broken.jpg").statusCode());
    assertEquals(404, get("/thumb/missing.jpg").statusCode());
    try (RawClient c = new RawClient(proxy.port())) {
      String out = c.send("GET /thumb/../../etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n").readResponses(1);
      assertTrue(out.startsWith("HTTP/1.1 403"), out);
    }
  }
}
