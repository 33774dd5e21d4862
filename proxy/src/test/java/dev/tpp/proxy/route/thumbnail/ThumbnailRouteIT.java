package dev.tpp.proxy.route.thumbnail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.PoolConfig;
import dev.tpp.proxy.pool.OffloadPool;
import dev.tpp.proxy.route.files.PoolEvidence;
import dev.tpp.proxy.testing.Await;
import dev.tpp.proxy.testing.RawClient;
import dev.tpp.proxy.testing.TestProxy;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thumbnail route on the real server: dimensions, caching headers, errors, where the work ran,
 * and what a full pool does (answers 503 at once; the worker keeps serving).
 */
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
    proxy =
        TestProxy.start(
            "workers: 1\n"
                + "pools: [{name: "
                + POOL
                + ", threads: 1, maxQueue: 1, overflow: reject}]\n"
                + "routes:\n"
                + "  - {path: /hello, return: {status: 200, body: hi}}\n"
                + "  - {path: /thumb/, waf: false, thumbnail: {root: \""
                + root
                + "\", width: 300, height: 200, pool: "
                + POOL
                + "}}\n");
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
    return proxy.client().send(request(path, headers), BodyHandlers.ofByteArray());
  }

  private static HttpRequest request(String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri(path));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return request.build();
  }

  private static BufferedImage thumbnail(String path) throws Exception {
    HttpResponse<byte[]> r = get(path);
    assertEquals(200, r.statusCode(), path);
    assertEquals("image/jpeg", r.headers().firstValue("content-type").orElseThrow());
    assertEquals("max-age=3600", r.headers().firstValue("cache-control").orElseThrow());
    assertEquals(
        String.valueOf(r.body().length), r.headers().firstValue("content-length").orElseThrow());
    return ImageIO.read(new ByteArrayInputStream(r.body()));
  }

  @Test
  void fitsIn300x200KeepingTheAspectRatioRenderedInThePool() throws Throwable {
    PoolEvidence.assertRanInPool(
        proxy,
        POOL,
        2,
        () -> { // one task per render
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
    String lastModified =
        get("/thumb/wide.jpg").headers().firstValue("last-modified").orElseThrow();
    assertEquals(304, get("/thumb/wide.jpg", "If-Modified-Since", lastModified).statusCode());
  }

  @Test
  void fullPoolAnswers503AtOnceAndTheLoopStaysFree() throws Exception {
    OffloadPool pool = proxy.server().pools().get(POOL);
    CountDownLatch release = new CountDownLatch(1);
    pool.submit(
        ImmediateEventExecutor.INSTANCE,
        () -> release.await(30, TimeUnit.SECONDS),
        (ok, failure) -> {});
    try {
      Await.until("the pool's one thread is taken", () -> pool.activeThreads() == 1);
      CompletableFuture<HttpResponse<byte[]>> queued =
          proxy.client().sendAsync(request("/thumb/wide.jpg"), BodyHandlers.ofByteArray());
      Await.until("that request waits in the pool's queue", () -> pool.queueSize() == 1);

      HttpResponse<byte[]> rejected = get("/thumb/tall.png");
      assertEquals(503, rejected.statusCode());
      assertEquals("1", rejected.headers().firstValue("retry-after").orElseThrow());
      assertEquals(
          200,
          proxy.get("/hello").statusCode(),
          "the worker answers others while its pool is full");
      assertFalse(queued.isDone(), "the queued render waits for the pool, not the loop");

      release.countDown();
      assertEquals(200, queued.get(30, TimeUnit.SECONDS).statusCode());
    } finally {
      release.countDown();
    }
  }

  @Test
  void answersErrors() throws Exception {
    assertEquals(415, get("/thumb/broken.jpg").statusCode());
    assertEquals(404, get("/thumb/missing.jpg").statusCode());
    try (RawClient c = new RawClient(proxy.port())) {
      String out =
          c.send("GET /thumb/../../etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n").readResponses(1);
      assertTrue(
          out.startsWith("HTTP/1.1 400"),
          "a path above the root is refused before routing: " + out);
    }
  }

  /**
   * The pool only thumbnails use defaults to priority low: the kernel shows its threads in the idle
   * class.
   */
  @Test
  void thumbnailPoolThreadsRunInTheIdleSchedulingClass() throws Exception {
    assertEquals(PoolConfig.Priority.LOW, proxy.server().pools().get(POOL).priority());
    Process ps =
        new ProcessBuilder(
                "ps", "-L", "-o", "cls=,comm=", "-p", Long.toString(ProcessHandle.current().pid()))
            .start();
    List<String> threads =
        new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
            .lines()
            .map(String::strip)
            .toList();
    List<String> pool =
        threads.stream().filter(t -> t.contains(("tpp-pool-" + POOL).substring(0, 15))).toList();
    assertEquals(1, pool.size(), threads.toString());
    assertTrue(pool.get(0).startsWith("IDL"), pool.toString());
    assertTrue(
        threads.stream().filter(t -> t.contains("tpp-worker")).allMatch(t -> t.startsWith("TS")),
        "event loops stay in the normal class: " + threads);
  }
}
