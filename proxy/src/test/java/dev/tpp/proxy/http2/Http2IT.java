package dev.tpp.proxy.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tpp.proxy.http2.RawH2Client.Frame;
import dev.tpp.proxy.testing.TestProxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 frames on the wire (h2c, prior knowledge): one request path, RFC 9113 errors, the flood
 * limits, drain.
 */
class Http2IT {
  static final int PROTOCOL_ERROR = 1;
  static final int NO_ERROR = 0;
  static final int ENHANCE_YOUR_CALM = 0xb;

  static String config(String extra) {
    return """
        listen: {address: 127.0.0.1, port: 0, http2: true}
        workers: 1
        waf:
          enabled: true
          pool: waf
          rules: |
            SecRule REQUEST_PROTOCOL "@streq HTTP/2.0" "id:7,phase:1,deny,status:418,chain"
            SecRule REQUEST_URI "@beginsWith /only-h1" "t:none"
        pools: [{name: waf, threads: 1, maxQueue: 16}]
        routes:
          - {path: /hello, return: {status: 200, body: "hello"}}
          - {path: /only-h1, return: {status: 200, body: "h1"}}
          - {path: /big, return: {status: 200, body: "%s"}}
        %s"""
        .formatted("x".repeat(200_000), extra);
  }

  @Test
  void streamsTakeTheSameRoutesAndTheWafSeesHttp2() throws Exception {
    try (TestProxy proxy = TestProxy.start(config(""));
        RawH2Client h2 = new RawH2Client(proxy.port(), -1)) {
      h2.request(1, "GET", "/hello", true);
      Frame head = h2.await(RawH2Client.HEADERS, 1);
      assertNotNull(head);
      Frame data = h2.await(RawH2Client.DATA, 1);
      assertEquals("hello", new String(data.payload(), StandardCharsets.US_ASCII));
      h2.request(3, "GET", "/only-h1", true);
      assertEquals(
          ":status 418",
          status(h2.await(RawH2Client.HEADERS, 3)),
          "the WAF saw REQUEST_PROTOCOL HTTP/2.0");
      assertEquals(200, proxy.get("/only-h1").statusCode(), "the same route over HTTP/1.1");
      assertEquals(
          2,
          proxy.metrics().value("tpp_http_requests_total", "route", "/hello", "status", "200")
              + proxy
                  .metrics()
                  .value("tpp_http_requests_total", "route", "/only-h1", "status", "418"));
    }
  }

  @Test
  void malformedHeadersGetStreamErrorsAndTheConnectionGoesOn() throws Exception {
    try (TestProxy proxy = TestProxy.start(config(""));
        RawH2Client h2 = new RawH2Client(proxy.port(), -1)) {
      h2.request(1, "GET", "/hello", true, "connection", "keep-alive");
      assertEquals(
          PROTOCOL_ERROR,
          h2.await(RawH2Client.RST_STREAM, 1).errorCode(),
          "connection-specific header");
      h2.request(3, "GET", "/hello", true, "X-Upper", "1");
      assertEquals(
          PROTOCOL_ERROR, h2.await(RawH2Client.RST_STREAM, 3).errorCode(), "upper-case name");
      h2.request(5, "GET", "/hello", true, "x-ok", "1", ":path", "/again");
      assertEquals(
          PROTOCOL_ERROR,
          h2.await(RawH2Client.RST_STREAM, 5).errorCode(),
          "pseudo-header after a field");
      h2.request(7, "GET", "/hello", true);
      assertEquals(
          ":status 200", status(h2.await(RawH2Client.HEADERS, 7)), "the connection still serves");
    }
  }

  @Test
  void rapidResetEndsTheConnectionWithGoAway() throws Exception {
    try (TestProxy proxy = TestProxy.start(config("http2: {maxResets: 20, resetWindow: 30s}\n"));
        RawH2Client h2 = new RawH2Client(proxy.port(), -1)) {
      for (int stream = 1; stream < 2 * 40; stream += 2) {
        h2.request(stream, "GET", "/big", true).rst(stream, 8);
      }
      Frame goAway = h2.await(RawH2Client.GOAWAY, -1);
      assertNotNull(goAway, "GOAWAY before the close");
      assertEquals(ENHANCE_YOUR_CALM, goAway.errorCode());
      assertEquals(
          1,
          proxy
              .metrics()
              .value(
                  "tpp_http2_goaways_total",
                  "error",
                  "enhance_your_calm",
                  "reason",
                  "rapid_reset"));
    }
  }

  @Test
  void emptyFrameAndContinuationFloodsEndTheConnection() throws Exception {
    try (TestProxy proxy = TestProxy.start(config(""));
        RawH2Client h2 = new RawH2Client(proxy.port(), -1)) {
      h2.frame(
          RawH2Client.HEADERS,
          RawH2Client.END_HEADERS,
          1,
          new byte[] {(byte) 0x82, (byte) 0x86, (byte) 0x84});
      for (int i = 0; i < 3; i++) { // http2.maxEmptyFrames is 2
        h2.frame(RawH2Client.DATA, 0, 1, new byte[0]);
      }
      assertNotNull(h2.await(RawH2Client.GOAWAY, -1), "empty DATA frames flood");
    }
    try (TestProxy proxy = TestProxy.start(config(""));
        RawH2Client h2 = new RawH2Client(proxy.port(), -1)) {
      h2.frame(RawH2Client.HEADERS, 0, 1, new byte[] {(byte) 0x82});
      for (int i = 0; i < 20; i++) { // http2.maxContinuationFrames is 16
        h2.frame(RawH2Client.CONTINUATION, 0, 1, new byte[0]);
      }
      assertNotNull(h2.await(RawH2Client.GOAWAY, -1), "CONTINUATION flood (CVE-2024-27316)");
      assertTrue(
          proxy
                      .metrics()
                      .value(
                          "tpp_http2_goaways_total",
                          "error",
                          "enhance_your_calm",
                          "reason",
                          "continuation_flood")
                  + proxy
                      .metrics()
                      .value(
                          "tpp_http2_goaways_total",
                          "error",
                          "protocol_error",
                          "reason",
                          "continuation_flood")
              >= 1);
    }
  }

  @Test
  void aWindowThatStaysClosedEndsTheConnectionAfterTheStallTimeout() throws Exception {
    try (TestProxy proxy = TestProxy.start(config("http2: {stallTimeout: 1s}\n"));
        RawH2Client h2 = new RawH2Client(proxy.port(), 0)) {
      long start = System.nanoTime();
      h2.request(1, "GET", "/big", true);
      Frame goAway = h2.await(RawH2Client.GOAWAY, -1);
      assertNotNull(goAway);
      assertEquals(ENHANCE_YOUR_CALM, goAway.errorCode());
      assertTrue(
          System.nanoTime() - start < TimeUnit.SECONDS.toNanos(8),
          "within the stall timeout, give or take");
      assertEquals(
          1,
          proxy
              .metrics()
              .value("tpp_http2_goaways_total", "error", "enhance_your_calm", "reason", "stall"));
    }
  }

  @Test
  void drainingSendsGoAwayAndFinishesTheStreamInFlight() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    HttpServer origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    origin.createContext(
        "/",
        exchange -> {
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] body = "slow".getBytes(StandardCharsets.US_ASCII);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    origin.start();
    AtomicReference<Throwable> shutdown = new AtomicReference<>();
    try (TestProxy proxy =
            TestProxy.start(
                config(
                        "upstreams: [{name: o, endpoints: [\"127.0.0.1:"
                            + origin.getAddress().getPort()
                            + "\"]}]\n")
                    .replace("routes:\n", "routes:\n  - {path: /slow, upstream: o}\n"));
        RawH2Client h2 = new RawH2Client(proxy.port(), -1)) {
      h2.request(1, "GET", "/slow", true);
      proxy.metrics(); // the request is on its way to the origin before the drain begins
      Thread drain =
          new Thread(
              () -> {
                try {
                  proxy.server().shutdown();
                } catch (Throwable t) {
                  shutdown.set(t);
                }
              });
      drain.start();
      Frame goAway = h2.await(RawH2Client.GOAWAY, -1);
      assertNotNull(goAway);
      assertEquals(NO_ERROR, goAway.errorCode());
      release.countDown();
      assertEquals(
          ":status 200", status(h2.await(RawH2Client.HEADERS, 1)), "the stream in flight finishes");
      assertEquals(
          "slow", new String(h2.await(RawH2Client.DATA, 1).payload(), StandardCharsets.US_ASCII));
      drain.join(10_000);
      assertEquals(null, shutdown.get());
    } finally {
      origin.stop(0);
    }
  }

  /**
   * ":status NNN" from a HEADERS frame of our own server: the first field is a literal or a static
   * index.
   */
  private static String status(Frame headers) {
    assertNotNull(headers, "no HEADERS");
    int first = headers.payload()[0] & 0xff;
    String[] indexed = {
      "", "", "", "", "", "", "", "", "200", "204", "206", "304", "400", "404", "500"
    };
    if ((first & 0x80) != 0 && (first & 0x7f) < indexed.length) {
      return ":status " + indexed[first & 0x7f];
    }
    // literal with indexed name 8 (:status): value follows as length + ASCII (Netty does not
    // Huffman-encode it)
    int length = headers.payload()[1] & 0x7f;
    return ":status " + new String(headers.payload(), 2, length, StandardCharsets.US_ASCII);
  }
}
