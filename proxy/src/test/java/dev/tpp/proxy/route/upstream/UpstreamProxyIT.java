package dev.tpp.proxy.route.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tpp.proxy.testing.TestProxy;
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
 * The upstream route through the real proxy (config loader, dispatcher, keepalive, metrics on the admin port).
 * Skipped while the server does not build upstream routes yet; the same behaviours are covered through
 * {@link ProxyHarness} by the other ITs here.
 */
class UpstreamProxyIT {
  private static final int SIZE = 5 * 1024 * 1024;
  private TestOrigin origin;
  private TestProxy proxy;

  @BeforeEach
  void start() throws Exception {
    origin = new TestOrigin();
    try {
      proxy = TestProxy.start("workers: 1\n"
          + "upstreams: [{name: backend, endpoints: [\"127.0.0.1:" + origin.port() + "\"], keepaliveConnections: 8,"
          + " connectTimeout: 1s, responseTimeout: 1s}]\n"
          + "routes:\n"
          + "  - {path: /, waf: false, upstream: backend}\n");
    } catch (IllegalStateException e) {
      assumeTrue(!String.valueOf(e.getMessage()).contains("not wired"), "server does not wire upstream routes yet");
      throw e;
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    origin.close();
  }

  private double upstreamCount(String outcome) throws Exception {
    return proxy.metrics().value("tpp_upstream_requests_total", "upstream", "backend", "outcome", outcome);
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
    assertEquals(2.0, upstreamCount("ok"));
  }

  @Test
  void streamsA5MiBUploadAndDownload() throws Exception {
    byte[] data = TestOrigin.bytes(SIZE);
    HttpRequest upload = HttpRequest.newBuilder(proxy.uri("/echo"))
        .POST(BodyPublishers.fromPublisher(new GatedPublisher(data, origin.firstUploadBytes), SIZE)).build();
    assertEquals("echo POST " + SIZE, proxy.client().send(upload, BodyHandlers.ofString()).body());
    assertEquals(TestOrigin.sha256(data), origin.seen.poll(5, TimeUnit.SECONDS).sha256());

    origin.downloadGate = new CountDownLatch(1);
    HttpResponse<java.io.InputStream> r = proxy.client().send(
        HttpRequest.newBuilder(proxy.uri("/download?bytes=" + SIZE)).build(), BodyHandlers.ofInputStream());
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
    assertEquals(1.0, upstreamCount("timeout"));
  }
}
