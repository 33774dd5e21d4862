package dev.tpp.proxy.waf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tpp.proxy.testing.Await;
import dev.tpp.proxy.testing.TestProxy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Response phases 3 and 4 through the real proxy and the SecLang engine: an upstream response whose
 * body the rules inspect is held back until the verdict, so a deny replaces it whole; other
 * responses stream untouched while their heads are inspected beside them; a body past
 * SecResponseBodyLimit is refused (Reject) or inspected in part (ProcessPartial).
 */
class ResponseInspectionIT {
  private static final String LEAK = "SQL error: ORA-00933: SQL command not properly ended";
  private final ExecutorService originThreads = Executors.newFixedThreadPool(2);
  private HttpServer origin;

  @BeforeEach
  void startOrigin() throws IOException {
    origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    origin.createContext(
        "/leak", ex -> answer(ex, "text/html", "<p>" + LEAK + "</p>".repeat(2000), null));
    origin.createContext("/clean", ex -> answer(ex, "text/html; charset=utf-8", "hello", null));
    origin.createContext("/image", ex -> answer(ex, "image/png", LEAK, null));
    origin.createContext(
        "/late-leak", ex -> answer(ex, "text/html", "x".repeat(3000) + LEAK, null));
    origin.createContext("/header", ex -> answer(ex, "text/html", "page", "leak"));
    origin.createContext("/image-header", ex -> answer(ex, "image/png", "png", "leak"));
    origin.setExecutor(originThreads);
    origin.start();
  }

  @AfterEach
  void stopOrigin() {
    origin.stop(0);
    originThreads.shutdownNow();
  }

  /** Chunked (no length), written in 1 KiB pieces: the proxy sees the body as many reads. */
  private static void answer(HttpExchange ex, String type, String body, String poweredBy)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    if (poweredBy != null) {
      ex.getResponseHeaders().set("X-Powered-By", poweredBy);
    }
    ex.sendResponseHeaders(200, 0);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = ex.getResponseBody()) {
      for (int at = 0; at < bytes.length; at += 1024) {
        out.write(bytes, at, Math.min(1024, bytes.length - at));
        out.flush();
      }
    }
  }

  private TestProxy proxy(String mode, String limitAction) throws Exception {
    return TestProxy.start(
        """
        workers: 1
        pools: [{name: waf, threads: 1, maxQueue: 16, overflow: reject}]
        upstreams: [{name: origin, endpoints: ["127.0.0.1:%d"], keepaliveConnections: 4}]
        routes: [{path: /, upstream: origin}]
        waf:
          enabled: true
          pool: waf
          mode: %s
          rules: |
            SecResponseBodyAccess On
            SecResponseBodyMimeType text/plain text/html
            SecResponseBodyLimit 2048
            SecResponseBodyLimitAction %s
            SecRule RESPONSE_HEADERS:X-Powered-By "@streq leak" "id:3001,phase:3,deny,status:502,log"
            SecRule RESPONSE_BODY "@rx ORA-\\d{5}" "id:4001,phase:4,deny,log"
        """
            .formatted(origin.getAddress().getPort(), mode, limitAction),
        Path.of("."),
        null);
  }

  @Test
  void aPhaseFourDenyReplacesTheWholeResponse() throws Exception {
    try (TestProxy proxy = proxy("block", "ProcessPartial")) {
      HttpResponse<String> leak = proxy.get("/leak");
      assertEquals(403, leak.statusCode());
      assertFalse(
          leak.body().contains("ORA-"), "no byte of the denied response reaches the client");
      HttpResponse<String> clean = proxy.get("/clean");
      assertEquals(200, clean.statusCode());
      assertEquals("hello", clean.body());
      assertEquals(1.0, proxy.metrics().value("tpp_waf_rule_matches_total", "rule_id", "4001"));
      assertEquals(1.0, proxy.metrics().value("tpp_waf_responses_total", "action", "blocked"));
      assertEquals(1.0, proxy.metrics().value("tpp_waf_responses_total", "action", "passed"));
    }
  }

  @Test
  void aPhaseThreeDenyReplacesAHeldResponse() throws Exception {
    try (TestProxy proxy = proxy("block", "ProcessPartial")) {
      HttpResponse<String> denied = proxy.get("/header");
      assertEquals(502, denied.statusCode());
      assertFalse(denied.body().contains("page"));
    }
  }

  @Test
  void bodiesOfTypesNotListedStreamUntouchedWhileTheirHeadsAreLogged() throws Exception {
    try (TestProxy proxy = proxy("block", "ProcessPartial")) {
      HttpResponse<String> image = proxy.get("/image");
      assertEquals(200, image.statusCode());
      assertTrue(image.body().contains("ORA-00933"));
      HttpResponse<String> streamed = proxy.get("/image-header");
      assertEquals(
          200, streamed.statusCode()); // streamed before phase 3 ran: its deny can only be logged
      assertEquals("png", streamed.body());
      Await.until(
          "phase 3 logged the streamed response",
          () -> proxy.metrics().value("tpp_waf_rule_matches_total", "rule_id", "3001") == 1.0);
    }
  }

  @Test
  void processPartialInspectsTheFirstBytesAndRejectRefusesTheRest() throws Exception {
    try (TestProxy partial = proxy("block", "ProcessPartial")) {
      HttpResponse<String> late = partial.get("/late-leak");
      assertEquals(200, late.statusCode());
      assertEquals(
          3000 + LEAK.length(), late.body().length()); // whole, though only 2 KiB were inspected
    }
    try (TestProxy reject = proxy("block", "Reject")) {
      assertEquals(500, reject.get("/late-leak").statusCode());
      assertEquals(200, reject.get("/clean").statusCode());
    }
  }

  @Test
  void detectModeLogsAndPassesEvenPastTheLimit() throws Exception {
    try (TestProxy proxy = proxy("detect", "Reject")) {
      HttpResponse<String> leak = proxy.get("/leak");
      assertEquals(200, leak.statusCode());
      assertTrue(leak.body().contains("ORA-00933"));
      assertEquals(
          200, proxy.get("/late-leak").statusCode()); // Reject refuses nothing in detect mode
      assertEquals(1.0, proxy.metrics().value("tpp_waf_rule_matches_total", "rule_id", "4001"));
    }
  }
}
