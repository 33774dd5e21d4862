package dev.tpp.proxy.route.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.UpstreamConfig;
import dev.tpp.config.UpstreamConfig.HostPort;
import dev.tpp.proxy.testing.Await;
import io.netty.channel.Channel;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-loop keepalive pool: what it keeps, what it drops, what close() does. */
class UpstreamPoolIT extends UpstreamITSupport {

  @BeforeEach
  void start() throws Exception {
    start(8, Duration.ofSeconds(10));
  }

  private List<Channel> idle() throws Exception {
    return proxy
        .loop()
        .submit(() -> proxy.upstream.idleChannels(proxy.loop()))
        .get(5, TimeUnit.SECONDS);
  }

  @Test
  void dropsIdleConnectionsTheOriginCloses() throws Exception {
    assertEquals(200, get("/close-after").statusCode());
    for (Channel c : idle()) {
      assertTrue(
          c.closeFuture().await(5, TimeUnit.SECONDS),
          "the proxy noticed the origin's close by itself");
    }
    // leaving the pool happens in channelInactive, a loop task queued just after the close future
    // completes
    Await.until("the pool drops the closed connection", () -> idle().isEmpty());
    assertEquals(200, get("/echo").statusCode());
    assertEquals(0.0, proxy.count("reset"));
  }

  @Test
  void nioTransportReusesAndDropsIdleConnectionsToo() throws Exception {
    proxy.close();
    proxy = new ProxyHarness(config(origin.port(), 8, Duration.ofSeconds(10)), false, 1);
    assertEquals(200, get("/echo").statusCode());
    assertEquals(200, get("/echo").statusCode());
    assertEquals(1, origin.connections.get());
    dropsIdleConnectionsTheOriginCloses(); // NIO notices an idle close only through the read left
    // pending
  }

  @Test
  void keepsAPoolPerEventLoop() throws Exception {
    proxy.close();
    proxy = new ProxyHarness(config(origin.port(), 8, Duration.ofSeconds(10)), true, 2);
    HttpClient other = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (int i = 0; i < 3; i++) {
      assertEquals(200, get("/echo").statusCode()); // this client's connection is on one loop
      assertEquals(
          200,
          other
              .send(HttpRequest.newBuilder(proxy.uri("/echo")).build(), BodyHandlers.discarding())
              .statusCode()); // the other client's on the next one
    }
    assertEquals(2, origin.connections.get(), "one origin connection per loop, each reused");
    assertEquals(List.of(1, 1), proxy.idlePerLoop());
  }

  @Test
  void spreadsNewConnectionsOverTheEndpoints() throws Exception {
    try (TestOrigin second = new TestOrigin()) {
      proxy.close();
      proxy =
          new ProxyHarness(
              new UpstreamConfig(
                  "backend",
                  List.of(
                      new HostPort("127.0.0.1", origin.port()),
                      new HostPort("127.0.0.1", second.port())),
                  0,
                  Duration.ofSeconds(1),
                  Duration.ofSeconds(10)));
      for (int i = 0; i < 4; i++) {
        assertEquals(200, get("/echo").statusCode());
      }
      assertEquals(2, origin.connections.get());
      assertEquals(2, second.connections.get());
    }
  }

  @Test
  void triesTheNextEndpointWhenAConnectFails() throws Exception {
    int refused;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      refused = s.getLocalPort();
    }
    proxy.close();
    proxy =
        new ProxyHarness(
            new UpstreamConfig(
                "backend",
                List.of(
                    new HostPort("127.0.0.1", refused), new HostPort("127.0.0.1", origin.port())),
                0,
                Duration.ofSeconds(1),
                Duration.ofSeconds(10)));
    for (int i = 0; i < 4; i++) {
      assertEquals(200, get("/echo").statusCode());
    }
    assertEquals(4.0, proxy.count("ok"));
    assertEquals(0.0, proxy.count("connect_error"));
  }

  @Test
  void closeClosesIdleConnections() throws Exception {
    assertEquals(200, get("/echo").statusCode());
    assertEquals(1, idle().size());
    proxy.upstream.close();
    assertNotNull(
        origin.closedConnections.poll(5, TimeUnit.SECONDS), "the idle connection was closed");
    assertEquals(List.of(), idle());
  }
}
