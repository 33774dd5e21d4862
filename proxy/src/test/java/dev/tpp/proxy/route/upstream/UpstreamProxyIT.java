package dev.tpp.proxy.route.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.testing.TestProxy;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The upstream route through the real proxy: config loader and validator, dispatcher, client
 * keepalive, metrics scraped from the admin port. The other ITs here run the real proxy too,
 * through {@link ProxyHarness}, for what needs a look inside (pools per loop, NIO, idle
 * connections).
 */
class UpstreamProxyIT {
  private static final int SIZE = 5 * 1024 * 1024;
  private TestOrigin origin;
  private TestProxy proxy;

  @BeforeEach
  void start() throws Exception {
    origin = new TestOrigin();
    int refused;
    try (ServerSocket s = new ServerSocket(0)) {
      refused = s.getLocalPort();
    }
    proxy =
        TestProxy.start(
            "workers: 1\n"
                + "upstreams:\n"
                + "  - {name: backend, endpoints: [\"127.0.0.1:"
                + origin.port()
                + "\"], keepaliveConnections: 8,"
                + " connectTimeout: 1s, responseTimeout: 1s}\n"
                + "  - {name: dead, endpoints: [\"127.0.0.1:"
                + refused
                + "\"], keepaliveConnections: 8,"
                + " connectTimeout: 1s, responseTimeout: 1s}\n"
                + "routes:\n"
                + "  - {path: /dead/, waf: false, upstream: dead}\n"
                + "  - {path: /, waf: false, upstream: backend}\n");
  }

  @AfterEach
  void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    origin.close();
  }

  private double upstreamCount(String upstream, String outcome) throws Exception {
    return proxy
        .metrics()
        .value("tpp_upstream_requests_total", "upstream", upstream, "outcome", outcome);
  }

  @Test
  void proxiesThroughTheRealServerWithKeepaliveAndCounters() throws Exception {
    HttpResponse<String> get = proxy.get("/echo?x=1");
    assertEquals("echo GET 0", get.body());
    assertEquals("test", get.headers().firstValue("X-Origin").orElseThrow());
    assertEquals("echo POST 5", proxy.post("/echo", "hello".getBytes()).body());
    TestOrigin.Seen seen = origin.seen.poll(5, TimeUnit.SECONDS);
    assertEquals("127.0.0.1", seen.headers().get("X-Forwarded-For"));
    assertEquals(1, origin.connections.get());
    assertEquals(2.0, upstreamCount("backend", "ok"));
  }

  @Test
  void streamsA5MiBUploadAndDownload() throws Exception {
    byte[] data = TestOrigin.bytes(SIZE);
    HttpRequest upload =
        HttpRequest.newBuilder(proxy.uri("/echo"))
            .POST(
                BodyPublishers.fromPublisher(
                    new GatedPublisher(data, origin.firstUploadBytes), SIZE))
            .build();
    assertEquals("echo POST " + SIZE, proxy.client().send(upload, BodyHandlers.ofString()).body());
    assertEquals(TestOrigin.sha256(data), origin.seen.poll(5, TimeUnit.SECONDS).sha256());

    origin.downloadGate = new CountDownLatch(1);
    HttpResponse<java.io.InputStream> r =
        proxy
            .client()
            .send(
                HttpRequest.newBuilder(proxy.uri("/download?bytes=" + SIZE)).build(),
                BodyHandlers.ofInputStream());
    try (java.io.InputStream in = r.body()) {
      byte[] first = in.readNBytes(64 * 1024);
      origin.downloadGate.countDown();
      byte[] rest = in.readAllBytes();
      assertEquals(SIZE, first.length + rest.length);
      byte[] all = java.util.Arrays.copyOf(first, SIZE);
      System.arraycopy(rest, 0, all, first.length, rest.length);
      assertEquals(TestOrigin.sha256(data), TestOrigin.sha256(all));
    }
  }

  @Test
  void silentOriginIs504AndCounted() throws Exception {
    assertEquals(504, proxy.get("/hang").statusCode());
    assertEquals(1.0, upstreamCount("backend", "timeout"));
  }

  @Test
  void refusedPortIs502AndCounted() throws Exception {
    HttpResponse<String> r = proxy.get("/dead/x");
    assertEquals(502, r.statusCode());
    assertEquals(1.0, upstreamCount("dead", "connect_error"));
  }

  @Test
  void stripsHopByHopHeadersAndRetriesAStaleConnection() throws Exception {
    try (RawClient raw = new RawClient(proxy.port())) {
      String response =
          raw.exchange(
              "GET /hop HTTP/1.1\r\nHost: example.test\r\nConnection: X-Hop\r\nX-Hop: 1\r\n"
                  + "TE: trailers\r\n\r\n");
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
      assertFalse(response.toLowerCase().contains("x-resp-hop:"), response);
      assertFalse(response.toLowerCase().contains("proxy-authenticate:"), response);
    }
    TestOrigin.Seen seen = origin.seen.poll(5, TimeUnit.SECONDS);
    assertEquals("example.test", seen.headers().get("Host"));
    assertNull(seen.headers().get("X-Hop"));
    assertNull(seen.headers().get("TE"));
    assertEquals("first", proxy.get("/close-reused").body());
    assertEquals(
        "first",
        proxy.get("/close-reused").body()); // the reused connection was dropped: retried once
    assertEquals(0.0, upstreamCount("backend", "reset"));
  }

  @Test
  void relaysBodiesTheWafBufferedInMemoryOrSpooled() throws Exception {
    try (TestProxy waf =
        TestProxy.start(
            "workers: 1\n"
                + "pools: [{name: waf, threads: 1, maxQueue: 16, overflow: reject}]\n"
                + "waf: {enabled: true, pool: waf, mode: block, requestBodyLimit: 1Mi, inMemoryBodyLimit: 16Ki}\n"
                + "upstreams: [{name: backend, endpoints: [\"127.0.0.1:"
                + origin.port()
                + "\"], keepaliveConnections: 8,"
                + " connectTimeout: 1s, responseTimeout: 5s}]\n"
                + "routes: [{path: /, upstream: backend}]\n")) {
      for (int size :
          new int[] {
            1000, 300_000
          }) { // in memory, then spooled to a file and read back in the pool
        byte[] data = TestOrigin.bytes(size);
        assertEquals("echo POST " + size, waf.post("/echo", data).body());
        assertEquals(TestOrigin.sha256(data), origin.seen.poll(5, TimeUnit.SECONDS).sha256());
      }
    }
  }
}
