package dev.tpp.proxy.waf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tpp.proxy.testing.Await;
import dev.tpp.proxy.testing.TestProxy;
import dev.tpp.proxy.testing.ThreadDump;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Held responses past {@code waf.inMemoryBodyLimit} (16Ki here) go to a spool file that phase 4
 * reads; after the verdict they are sent from it, whole, and the file is deleted. Real origin, real
 * proxy; BlockHound watches the loops in the IT run.
 */
class ResponseSpoolIT {
  private static final int MIB = 1 << 20;
  private static final String LEAK = "SQL error: ORA-00933: SQL command not properly ended";
  private static final byte[] BIG = page(2 * MIB, -1);
  private static final byte[] EARLY_LEAK = page(300 * 1024, 50 * 1024);
  private static final byte[] LATE_LEAK = page(300 * 1024, 250 * 1024);
  private final ExecutorService originThreads = Executors.newFixedThreadPool(4);
  private final CountDownLatch resume = new CountDownLatch(1);
  private HttpServer origin;

  @BeforeEach
  void startOrigin() throws IOException {
    origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    origin.createContext("/big", ex -> answer(ex, BIG, false));
    origin.createContext("/paused", ex -> answer(ex, BIG, true));
    origin.createContext("/early-leak", ex -> answer(ex, EARLY_LEAK, false));
    origin.createContext("/late-leak", ex -> answer(ex, LATE_LEAK, false));
    origin.setExecutor(originThreads);
    origin.start();
  }

  @AfterEach
  void stopOrigin() {
    resume.countDown();
    origin.stop(0);
    originThreads.shutdownNow();
  }

  /** Chunked, in 16 KiB pieces; {@code pause}: waits for {@link #resume} after the first MiB. */
  private void answer(HttpExchange ex, byte[] body, boolean pause) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    ex.sendResponseHeaders(200, 0);
    try (OutputStream out = ex.getResponseBody()) {
      for (int at = 0; at < body.length; at += 16 * 1024) {
        if (pause && at == MIB) {
          awaitResume();
        }
        out.write(body, at, Math.min(16 * 1024, body.length - at));
        out.flush();
      }
    }
  }

  private void awaitResume() throws IOException {
    try {
      if (!resume.await(30, TimeUnit.SECONDS)) {
        throw new IOException("the test never resumed the origin");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /**
   * HTML lines of plain prose, {@code size} bytes, with {@link #LEAK} at {@code leakAt} if >= 0.
   */
  private static byte[] page(int size, int leakAt) {
    StringBuilder b = new StringBuilder(size + 128);
    for (int i = 0; b.length() < size; i++) {
      if (leakAt >= 0 && b.length() >= leakAt && b.indexOf(LEAK) < 0) {
        b.append(LEAK);
      }
      b.append("<p id=\"p")
          .append(i)
          .append("\">the quick brown fox jumps over the lazy dog</p>\n");
    }
    b.setLength(size);
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private TestProxy proxy(long bodyLimit, String http, String rules) throws Exception {
    return TestProxy.start(
        """
        workers: 1
        http: %s
        pools: [{name: waf, threads: 2, maxQueue: 64, overflow: reject}]
        upstreams: [{name: origin, endpoints: ["127.0.0.1:%d"], keepaliveConnections: 4}]
        routes: [{path: /, upstream: origin}]
        waf:
          enabled: true
          pool: waf
          mode: block
          inMemoryBodyLimit: 16Ki
          rules: |
            SecResponseBodyMimeType text/html
            SecResponseBodyLimit %d
            SecResponseBodyLimitAction ProcessPartial
            SecRule RESPONSE_BODY "@rx ORA-\\d{5}" "id:4001,phase:4,deny,log"
        %s
        """
            .formatted(http, origin.getAddress().getPort(), bodyLimit, rules.indent(4)),
        Path.of("."),
        null);
  }

  private TestProxy proxy(long bodyLimit) throws Exception {
    return proxy(bodyLimit, "{bodyTimeout: 30s}", "SecResponseBodyAccess On");
  }

  /**
   * {@code future}'s response within 30 s; past that, every thread's stack and the proxy's WAF,
   * pool and upstream series are printed (a stall seen once in a full run on a busy host, never
   * reproduced alone) before the timeout is thrown.
   */
  private static HttpResponse<byte[]> within30s(
      TestProxy proxy, CompletableFuture<HttpResponse<byte[]>> future) throws Exception {
    try {
      return future.get(31, TimeUnit.SECONDS); // the request's own timeout is 30 s
    } catch (TimeoutException | ExecutionException e) {
      if (e instanceof ExecutionException && !(e.getCause() instanceof HttpTimeoutException)) {
        throw e;
      }
      ThreadDump.print("no response in 30 s");
      for (String line : proxy.admin("/metrics").body().split("\n")) {
        if (!line.contains("_bucket{")
            && line.matches("tpp_(waf|pool|upstream|connections|http_requests)\\w*[{ ].*")) {
          System.out.println("at the timeout: " + line);
        }
      }
      throw e;
    }
  }

  private static CompletableFuture<HttpResponse<byte[]>> fetch(TestProxy proxy, String path) {
    return proxy
        .client()
        .sendAsync(
            HttpRequest.newBuilder(proxy.uri(path)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  private static Set<Path> spoolFiles() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      Set<Path> found = new HashSet<>();
      files
          .filter(p -> p.getFileName().toString().matches("tpp-response-.*\\.spool"))
          .forEach(found::add);
      return found;
    }
  }

  private static Set<Path> newSpoolFiles(Set<Path> before) throws IOException {
    Set<Path> now = spoolFiles();
    now.removeAll(before);
    return now;
  }

  @Test
  void aTwoMebibyteHtmlResponseIsHeldOnDiskNotInTheHeapAndArrivesIntact() throws Exception {
    Set<Path> before = spoolFiles();
    try (TestProxy proxy = proxy(4 * MIB)) {
      CompletableFuture<HttpResponse<byte[]>> pending = fetch(proxy, "/paused");
      Await.until(
          "the first MiB of the held response is in one spool file",
          () ->
              newSpoolFiles(before).size() == 1
                  && proxy.metrics().value("tpp_waf_spool_files") == 1
                  && proxy.metrics().value("tpp_waf_spool_bytes") >= MIB
                  && Files.size(newSpoolFiles(before).iterator().next()) >= MIB);
      assertFalse(pending.isDone(), "no byte reaches the client before the verdict");
      resume.countDown();
      HttpResponse<byte[]> response = within30s(proxy, pending);
      assertEquals(200, response.statusCode());
      assertArrayEquals(BIG, response.body());
      Await.until("the spool file is deleted", () -> newSpoolFiles(before).isEmpty());
      Await.until(
          "the spool budget is given back",
          () ->
              proxy.metrics().value("tpp_waf_spool_files") == 0
                  && proxy.metrics().value("tpp_waf_spool_bytes") == 0);
      assertArrayEquals(BIG, within30s(proxy, fetch(proxy, "/big")).body());
    }
  }

  @Test
  void aLeakInTheSpooledPartIsDeniedAndOnePastTheLimitPassesWithProcessPartial() throws Exception {
    Set<Path> before = spoolFiles();
    try (TestProxy proxy = proxy(100_000)) {
      HttpResponse<byte[]> early = within30s(proxy, fetch(proxy, "/early-leak"));
      assertEquals(403, early.statusCode());
      assertFalse(new String(early.body(), StandardCharsets.UTF_8).contains("ORA-"));
      assertEquals(1.0, proxy.metrics().value("tpp_waf_rule_matches_total", "rule_id", "4001"));

      HttpResponse<byte[]> late = within30s(proxy, fetch(proxy, "/late-leak"));
      assertEquals(200, late.statusCode(), "only the first 100000 bytes are inspected");
      assertArrayEquals(LATE_LEAK, late.body());
      Await.until("the spool files are deleted", () -> newSpoolFiles(before).isEmpty());
    }
  }

  @Test
  void aResponseThatFindsTheWorkersSpoolFullGets503AndTheNextOneIsTaken() throws Exception {
    try (TestProxy proxy = proxy(4 * MIB, "{spoolFilesPerWorker: 1}", "SecResponseBodyAccess On")) {
      CompletableFuture<HttpResponse<byte[]>> holding = fetch(proxy, "/paused");
      Await.until(
          "the first response holds the worker's spool file",
          () -> proxy.metrics().value("tpp_waf_spool_files") == 1);
      HttpResponse<byte[]> refused = within30s(proxy, fetch(proxy, "/early-leak"));
      assertEquals(503, refused.statusCode());
      assertEquals("1", refused.headers().firstValue("retry-after").orElseThrow());
      assertEquals(1.0, proxy.metrics().value("tpp_waf_spool_full_total", "body", "response"));
      resume.countDown();
      assertArrayEquals(BIG, within30s(proxy, holding).body());
      Await.until(
          "the file is given back", () -> proxy.metrics().value("tpp_waf_spool_files") == 0);
      assertEquals(403, within30s(proxy, fetch(proxy, "/early-leak")).statusCode());
    }
  }

  @Test
  void ctlResponseBodyAccessTurnsInspectionOnForOneRequest() throws Exception {
    String rules =
        """
        SecResponseBodyAccess Off
        SecRule ARGS:inspect "@streq 1" "id:1,phase:1,pass,nolog,ctl:responseBodyAccess=On"
        """;
    try (TestProxy proxy = proxy(100_000, "{bodyTimeout: 30s}", rules)) {
      assertEquals(200, within30s(proxy, fetch(proxy, "/early-leak")).statusCode());
      assertEquals(403, within30s(proxy, fetch(proxy, "/early-leak?inspect=1")).statusCode());
    }
  }
}
