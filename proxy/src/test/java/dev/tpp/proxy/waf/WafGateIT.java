package dev.tpp.proxy.waf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.testing.Await;
import dev.tpp.proxy.testing.RawClient;
import dev.tpp.proxy.testing.TestProxy;
import dev.tpp.waf.engine.RuleMatch;
import dev.tpp.waf.engine.WafEngine;
import dev.tpp.waf.engine.WafRequest;
import dev.tpp.waf.engine.WafVerdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The WAF plumbing through a real proxy: bodies in memory or spooled, inspection on the WAF pool,
 * verdicts applied on the loop. The engine here is a tiny test engine ("attack" anywhere blocks) so
 * the plumbing is tested on its own; the SecLang engine has its own tests.
 */
class WafGateIT {
  record Seen(String thread, byte[] body, Path file, long length, boolean fileExisted) {}

  final List<Seen> seen = new CopyOnWriteArrayList<>();
  volatile CountDownLatch hold;

  final WafEngine engine =
      new WafEngine() {
        @Override
        public WafVerdict inspect(WafRequest r) {
          try {
            if (hold != null) {
              hold.await(10, TimeUnit.SECONDS);
            }
            String body =
                r.body() != null
                    ? new String(r.body(), StandardCharsets.ISO_8859_1)
                    : r.bodyFile() != null
                        ? Files.readString(r.bodyFile(), StandardCharsets.ISO_8859_1)
                        : "";
            seen.add(
                new Seen(
                    Thread.currentThread().getName(),
                    r.body(),
                    r.bodyFile(),
                    r.bodyLength(),
                    r.bodyFile() != null && Files.exists(r.bodyFile())));
            if (r.uri().contains("attack") || body.contains("attack")) {
              return new WafVerdict(
                  true,
                  403,
                  null,
                  List.of(
                      new RuleMatch(
                          "1001",
                          "attack",
                          "attack",
                          "CRITICAL",
                          "ModSecurity: Access denied [id \"1001\"] [msg \"attack\"]")));
            }
            return WafVerdict.pass(List.of());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }

        @Override
        public int ruleCount() {
          return 1;
        }
      };

  TestProxy start(String mode, String overflow) throws Exception {
    return start(mode, overflow, 8);
  }

  /**
   * {@code maxQueue} 0 only where a test wants the pool full: with one thread and no queue, the
   * previous request's spool-file cleanup can still hold the thread when the next request's first
   * task arrives.
   */
  TestProxy start(String mode, String overflow, int maxQueue) throws Exception {
    return TestProxy.start(
        """
        workers: 1
        pools: [{name: waf, threads: 1, maxQueue: %d, overflow: %s}]
        waf: {enabled: true, pool: waf, mode: %s, requestBodyLimit: 256Ki, inMemoryBodyLimit: 16Ki}
        routes:
          - {path: /open, waf: false, return: {status: 200, body: "open\\n"}}
          - {path: /, return: {status: 200, body: "ok\\n"}}
        """
            .formatted(maxQueue, overflow, mode),
        Path.of("."),
        waf -> engine);
  }

  @Test
  void blocksOnThePoolAndPassesBenignRequests() throws Exception {
    try (TestProxy proxy = start("block", "reject")) {
      assertEquals(200, proxy.get("/?q=hello").statusCode());
      assertEquals(403, proxy.get("/?q=attack").statusCode());
      assertTrue(
          seen.stream().allMatch(s -> s.thread().startsWith("tpp-pool-waf-")), seen.toString());
      assertEquals(1, proxy.metrics().value("tpp_waf_requests_total", "action", "blocked"));
      assertEquals(1, proxy.metrics().value("tpp_waf_rule_matches_total", "rule_id", "1001"));
      assertTrue(proxy.metrics().value("tpp_waf_inspection_seconds_count") >= 2);
    }
  }

  @Test
  void inspectsSmallBodyInMemoryAndLargeBodyFromSpoolFile() throws Exception {
    try (TestProxy proxy = start("block", "reject")) {
      assertEquals(403, proxy.post("/", "x=attack".getBytes()).statusCode());
      Seen small = seen.get(seen.size() - 1);
      assertNotNull(small.body());
      assertNull(small.file());

      byte[] big = ("a".repeat(100 * 1024) + "attack").getBytes();
      assertEquals(403, proxy.post("/", big).statusCode());
      Seen large = seen.get(seen.size() - 1);
      assertNull(large.body());
      assertTrue(large.fileExisted(), "engine read the spool file");
      assertEquals(big.length, large.length());

      assertEquals(200, proxy.post("/", "a".repeat(100 * 1024).getBytes()).statusCode());
    }
  }

  @Test
  void answers413BeyondRequestBodyLimit() throws Exception {
    try (TestProxy proxy = start("block", "reject")) {
      assertEquals(413, proxy.post("/", new byte[300 * 1024]).statusCode());
    }
  }

  /**
   * A client that writes its whole body before it reads (as most do without Expect: 100-continue)
   * still gets the 413: the proxy reads and drops the body it refused instead of closing on it,
   * which would reset the connection under the client's writes and lose the response.
   */
  @Test
  void aClientStillSendingItsRefusedBodyGetsThe413() throws Exception {
    try (TestProxy proxy = start("block", "reject");
        RawClient c = new RawClient(proxy.port())) {
      int length = 4 << 20;
      c.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + length + "\r\n\r\n");
      byte[] chunk = new byte[64 * 1024];
      for (int sent = 0; sent < length; sent += chunk.length) {
        c.socket().getOutputStream().write(chunk); // 4 MiB: far more than the socket buffers hold
      }
      String response = c.readUntilClose();
      assertTrue(response.startsWith("HTTP/1.1 413 "), response);
      assertTrue(
          response.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), response);
    }
  }

  @Test
  void detectModeLogsButPasses() throws Exception {
    try (TestProxy proxy = start("detect", "reject")) {
      assertEquals(200, proxy.get("/?q=attack").statusCode());
      assertEquals(1, proxy.metrics().value("tpp_waf_requests_total", "action", "detected"));
    }
  }

  @Test
  void skipsRoutesWithWafFalse() throws Exception {
    try (TestProxy proxy = start("block", "reject")) {
      assertEquals(200, proxy.get("/open?q=attack").statusCode());
      assertTrue(seen.isEmpty());
    }
  }

  @Test
  void answers503WithRetryAfterWhenTheWafPoolIsFull() throws Exception {
    try (TestProxy proxy = start("block", "reject", 0)) {
      hold = new CountDownLatch(1);
      var first =
          proxy
              .client()
              .sendAsync(
                  java.net.http.HttpRequest.newBuilder(proxy.uri("/?q=1")).build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      // The single pool thread is now held by the first request: wait until it is busy.
      Await.until(
          "the WAF pool thread is busy",
          () -> proxy.metrics().value("tpp_pool_active_threads", "pool", "waf") >= 1);
      var second = proxy.get("/?q=2");
      assertEquals(503, second.statusCode());
      assertEquals("1", second.headers().firstValue("retry-after").orElse(""));
      hold.countDown();
      assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());
      assertEquals(
          1, proxy.metrics().value("tpp_pool_tasks_total", "pool", "waf", "outcome", "rejected"));
    }
  }
}
