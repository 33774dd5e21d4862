package dev.tpp.proxy.route.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The real handler between a real client and a real origin, over loopback sockets. */
class UpstreamHandlerIT extends UpstreamITSupport {

  @Test
  void getRoundTripKeepsHostAndAddsForwardedHeaders() throws Exception {
    start(8, Duration.ofSeconds(10));
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(proxy.uri("/echo?q=1"))
                .header("X-Custom", "v")
                .header("X-Forwarded-For", "10.0.0.1")
                .build(),
            BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertEquals("echo GET 0", r.body());
    assertEquals("test", r.headers().firstValue("X-Origin").orElseThrow());
    TestOrigin.Seen seen = origin.seen.poll(5, TimeUnit.SECONDS);
    assertEquals("/echo?q=1", seen.uri());
    assertEquals("v", seen.headers().get("X-Custom"));
    assertEquals("127.0.0.1:" + proxy.port(), seen.headers().get("Host"));
    assertEquals("10.0.0.1, 127.0.0.1", seen.headers().get("X-Forwarded-For"));
    assertEquals("http", seen.headers().get("X-Forwarded-Proto"));
    assertEquals("127.0.0.1:" + proxy.port(), seen.headers().get("X-Forwarded-Host"));
    assertEquals(1.0, proxy.count("ok"));
  }

  @Test
  void postRoundTripCarriesTheBody() throws Exception {
    start(8, Duration.ofSeconds(10));
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(proxy.uri("/echo"))
                .POST(BodyPublishers.ofString("hello"))
                .build(),
            BodyHandlers.ofString());
    assertEquals("echo POST 5", r.body());
    TestOrigin.Seen seen = origin.seen.poll(5, TimeUnit.SECONDS);
    assertEquals("POST", seen.method());
    assertEquals("5", seen.headers().get("Content-Length"));
    assertEquals(TestOrigin.sha256("hello".getBytes()), seen.sha256());
  }

  @Test
  void stripsHopByHopHeadersBothWays() throws Exception {
    start(8, Duration.ofSeconds(10));
    try (RawClient raw = new RawClient(proxy.port())) {
      String response =
          raw.exchange(
              "GET /hop HTTP/1.1\r\nHost: example.test\r\nConnection: keep-alive, X-Hop\r\n"
                  + "X-Hop: 1\r\nKeep-Alive: 5\r\nTE: trailers\r\nProxy-Authorization: Basic eDp5\r\nX-Keep: 1\r\n\r\n");
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
      assertTrue(response.contains("x-end: 1") || response.contains("X-End: 1"), response);
      for (String hop : List.of("x-resp-hop", "keep-alive", "proxy-authenticate")) {
        assertFalse(response.toLowerCase().contains(hop + ":"), hop + " leaked: " + response);
      }
    }
    TestOrigin.Seen seen = origin.seen.poll(5, TimeUnit.SECONDS);
    assertEquals("example.test", seen.headers().get("Host"));
    assertEquals("1", seen.headers().get("X-Keep"));
    for (String hop : List.of("X-Hop", "Keep-Alive", "TE", "Proxy-Authorization", "Connection")) {
      assertNull(seen.headers().get(hop), hop + " leaked upstream");
    }
  }

  @Test
  void reusesKeepaliveConnections() throws Exception {
    start(8, Duration.ofSeconds(10));
    for (int i = 0; i < 5; i++) {
      assertEquals(200, get("/echo").statusCode());
    }
    assertEquals(1, origin.connections.get());
    assertEquals(5.0, proxy.count("ok"));
  }

  @Test
  void keepaliveZeroOpensAConnectionPerRequest() throws Exception {
    start(0, Duration.ofSeconds(10));
    for (int i = 0; i < 3; i++) {
      assertEquals(200, get("/echo").statusCode());
    }
    assertEquals(3, origin.connections.get());
    assertEquals("close", origin.seen.poll(5, TimeUnit.SECONDS).headers().get("Connection"));
  }

  @Test
  void refusedPortIs502() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    proxy = new ProxyHarness(config(closedPort, 8, Duration.ofSeconds(10)));
    assertEquals(502, get("/").statusCode());
    assertEquals(1.0, proxy.count("connect_error"));
  }

  @Test
  void oversizedResponseHeadIs502() throws Exception {
    start(8, Duration.ofSeconds(10));
    assertEquals(502, get("/bighead").statusCode());
    assertEquals(1.0, proxy.count("reset"));
  }

  @Test
  void silentOriginIs504() throws Exception {
    start(8, Duration.ofMillis(300));
    assertEquals(504, get("/hang").statusCode());
    assertEquals(1.0, proxy.count("timeout"));
  }

  @Test
  void stallMidBodyAbortsTheResponse() throws Exception {
    start(8, Duration.ofMillis(300));
    origin.downloadGate =
        new java.util.concurrent.CountDownLatch(1); // never opened: the origin stalls after 1 MiB
    HttpResponse<InputStream> r =
        client.send(
            HttpRequest.newBuilder(proxy.uri("/download?bytes=2000000")).build(),
            BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    assertThrows(IOException.class, () -> r.body().readAllBytes());
    assertEquals(1.0, proxy.count("timeout"));
  }

  @Test
  void originClosingMidBodyCutsTheResponse() throws Exception {
    start(8, Duration.ofSeconds(10));
    HttpResponse<InputStream> r =
        client.send(
            HttpRequest.newBuilder(proxy.uri("/cut")).build(), BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    assertThrows(IOException.class, () -> r.body().readAllBytes());
    assertEquals(1.0, proxy.count("reset"));
  }

  @Test
  void staleReusedConnectionIsRetriedOnceForIdempotentRequests() throws Exception {
    start(8, Duration.ofSeconds(10));
    assertEquals("first", get("/close-reused").body());
    assertEquals(
        "first",
        get("/close-reused").body()); // the origin dropped the reused one; a new one answers
    assertEquals(2, origin.connections.get());
    assertEquals(2.0, proxy.count("ok"));
    assertEquals(0.0, proxy.count("reset"));
  }

  @Test
  void staleReusedConnectionIsNotRetriedForPost() throws Exception {
    start(8, Duration.ofSeconds(10));
    assertEquals(200, get("/close-reused").statusCode());
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(proxy.uri("/close-reused"))
                .POST(BodyPublishers.ofString("x"))
                .build(),
            BodyHandlers.ofString());
    assertEquals(502, r.statusCode());
    assertEquals(1.0, proxy.count("reset"));
  }
}
