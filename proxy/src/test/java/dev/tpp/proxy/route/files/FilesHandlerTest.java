package dev.tpp.proxy.route.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.RouteAction;
import dev.tpp.proxy.statics.LastModified;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files route on a real event loop and pool ({@link RouteHarness}): the pooled-read body path.
 */
class FilesHandlerTest {
  static final long MODIFIED = 1_700_000_000_000L;
  static final String POOL = "files-unit";

  @TempDir Path root;
  byte[] big;
  RouteHarness harness;

  @BeforeEach
  void start() throws Exception {
    big = new byte[200_000]; // four 64 KiB pool reads
    new Random(42).nextBytes(big);
    Files.setLastModifiedTime(
        Files.write(root.resolve("big.bin"), big), FileTime.fromMillis(MODIFIED));
    Files.writeString(root.resolve("hello.txt"), "hello, world");
    harness =
        new RouteHarness(
            "/static/",
            new RouteAction.Files(root.toString(), POOL),
            POOL,
            16,
            pool -> new FilesHandler(new RouteAction.Files(root.toString(), POOL), pool));
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  @Test
  void servesExactBytesReadInThePool() throws Exception {
    RouteHarness.Result r = harness.get("/static/big.bin");
    assertEquals(200, r.status());
    assertArrayEquals(big, r.body());
    assertEquals("200000", r.headers().get("Content-Length"));
    assertEquals("application/octet-stream", r.headers().get("Content-Type"));
    assertEquals("bytes", r.headers().get("Accept-Ranges"));
    assertEquals(LastModified.format(MODIFIED), r.headers().get("Last-Modified"));
    assertEquals("complete", r.ending());
    assertEquals(1 + 4, harness.tasks("completed"), "one lookup, four chunk reads");
    assertEquals(0, harness.tasks("inlined"));
    assertTrue(
        Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().startsWith("tpp-pool-" + POOL + "-")),
        "the pool's own thread did the work");
    assertNoOpenDescriptorFor(root.resolve("big.bin"));
  }

  @Test
  void rangeGives206WithTheSlice() throws Exception {
    RouteHarness.Result r = harness.get("/static/big.bin", "Range", "bytes=70000-140001");
    assertEquals(206, r.status());
    assertEquals("bytes 70000-140001/200000", r.headers().get("Content-Range"));
    assertArrayEquals(java.util.Arrays.copyOfRange(big, 70000, 140002), r.body());
    assertNoOpenDescriptorFor(root.resolve("big.bin"));
  }

  @Test
  void headSendsHeadersOnly() throws Exception {
    RouteHarness.Result r = harness.send(HttpMethod.HEAD, "/static/hello.txt");
    assertEquals(200, r.status());
    assertEquals("12", r.headers().get("Content-Length"));
    assertEquals(0, r.body().length);
    assertEquals("complete", r.ending());
  }

  @Test
  void conditionalAndRangeErrors() throws Exception {
    assertEquals(
        304,
        harness
            .get("/static/big.bin", "If-Modified-Since", LastModified.format(MODIFIED))
            .status());
    RouteHarness.Result r = harness.get("/static/big.bin", "Range", "bytes=200000-");
    assertEquals(416, r.status());
    assertEquals("bytes */200000", r.headers().get("Content-Range"));
  }

  @Test
  void answersBadRequestsWithoutThePool() throws Exception {
    RouteHarness.Result post = harness.send(HttpMethod.POST, "/static/hello.txt");
    assertEquals(405, post.status());
    assertEquals("GET, HEAD", post.headers().get("Allow"));
    assertEquals(403, harness.get("/static/%2e%2e/secret").status());
    assertEquals(403, harness.get("/static/..%2fsecret").status());
    assertEquals(400, harness.get("/static/%zz").status());
    assertEquals(0, harness.tasks("completed"));
    assertEquals(404, harness.get("/static/missing.txt").status());
  }

  @Test
  void fullPoolAnswers503WithRetryAfter() throws Exception {
    try (RouteHarness tight =
        new RouteHarness(
            "/static/",
            new RouteAction.Files(root.toString(), "tight"),
            "tight",
            0,
            pool -> new FilesHandler(new RouteAction.Files(root.toString(), "tight"), pool))) {
      CountDownLatch release = occupy(tight);
      try {
        RouteHarness.Result r = tight.get("/static/hello.txt");
        assertEquals(503, r.status());
        assertEquals("1", r.headers().get("Retry-After"));
      } finally {
        release.countDown();
      }
    }
  }

  @Test
  void closesTheFileWhenTheClientLeftDuringTheLookup() throws Exception {
    CountDownLatch release = occupy(harness);
    CompletableFuture<FullHttpResponse> never = new CompletableFuture<>();
    var client = harness.connect(never);
    client
        .writeAndFlush(
            new io.netty.handler.codec.http.DefaultFullHttpRequest(
                io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                HttpMethod.GET,
                "/static/big.bin"))
        .sync();
    client.close().sync(); // the lookup is queued behind the occupied thread
    release.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (harness.tasks("completed") < 2 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Thread.sleep(100); // the reply hops to the loop, which closes the file
    assertNoOpenDescriptorFor(root.resolve("big.bin"));
  }

  /** Blocks the harness's single pool thread until the returned latch is released. */
  private static CountDownLatch occupy(RouteHarness h) throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    h.pool()
        .submit(
            io.netty.util.concurrent.ImmediateEventExecutor.INSTANCE,
            () -> {
              started.countDown();
              return release.await(20, TimeUnit.SECONDS);
            },
            (ok, failure) -> {});
    assertTrue(started.await(5, TimeUnit.SECONDS));
    return release;
  }

  private static void assertNoOpenDescriptorFor(Path file) throws Exception {
    assertFalse(
        RouteHarness.openInThisProcess(file), "a descriptor for " + file + " is still open");
  }
}
