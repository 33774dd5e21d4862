package dev.tpp.proxy.route.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.ConfigDefaults;
import dev.tpp.config.UpstreamConfig;
import dev.tpp.config.UpstreamConfig.HashOn;
import dev.tpp.config.UpstreamConfig.HostPort;
import dev.tpp.config.UpstreamConfig.LoadBalancing;
import dev.tpp.config.UpstreamConfig.OutlierDetection;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three real origins behind one upstream: how requests spread, and how a failing origin leaves and
 * comes back.
 */
class UpstreamBalancingIT {
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<TestOrigin> origins = new ArrayList<>();
  private ProxyHarness proxy;

  @BeforeEach
  void startOrigins() throws Exception {
    for (int i = 0; i < 3; i++) {
      origins.add(new TestOrigin());
    }
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    origins.forEach(TestOrigin::close);
  }

  private ProxyHarness proxy(LoadBalancing balancing, HashOn hashOn, OutlierDetection outliers)
      throws Exception {
    List<HostPort> endpoints =
        origins.stream().map(o -> new HostPort("127.0.0.1", o.port())).toList();
    return new ProxyHarness(
        new UpstreamConfig(
            "backend",
            endpoints,
            8,
            Duration.ofSeconds(1),
            Duration.ofSeconds(10),
            balancing,
            hashOn,
            ConfigDefaults.UPSTREAM_RESOLVE_EVERY,
            outliers),
        true,
        2);
  }

  private HttpResponse<String> get(String path, String user) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(proxy.uri(path)).timeout(Duration.ofSeconds(10));
    if (user != null) {
      r.header("X-User", user);
    }
    return client.send(r.build(), BodyHandlers.ofString());
  }

  private List<Integer> served() {
    return origins.stream().map(o -> o.seen.size()).toList();
  }

  private static double spread(List<Integer> counts) {
    return (double) counts.stream().mapToInt(i -> i).max().orElseThrow()
        / Math.max(1, counts.stream().mapToInt(i -> i).min().orElseThrow());
  }

  @Test
  void leastRequestSpreadsKeepaliveLoadOverEveryOrigin() throws Exception {
    proxy = proxy(LoadBalancing.LEAST_REQUEST, null, null);
    List<CompletableFuture<Void>> clients = new ArrayList<>();
    for (int c = 0;
        c < 4;
        c++) { // four keepalive clients, each on its own connection, 150 requests each
      HttpClient own = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      clients.add(
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < 150; i++) {
                  HttpResponse<String> r =
                      own.sendAsync(
                              HttpRequest.newBuilder(proxy.uri("/echo")).build(),
                              BodyHandlers.ofString())
                          .join();
                  assertEquals(200, r.statusCode());
                }
              }));
    }
    CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).join();
    assertEquals(600, served().stream().mapToInt(i -> i).sum());
    assertTrue(spread(served()) <= 1.2, "per-origin requests " + served());
    assertEquals(600.0, proxy.count("ok"));
    int connections = origins.stream().mapToInt(o -> o.connections.get()).sum();
    assertTrue(
        connections <= 3 * 2 * 8,
        "keepalive connections are reused, per origin and loop: " + connections);
  }

  @Test
  void hashSendsEachUserToOneOrigin() throws Exception {
    proxy = proxy(LoadBalancing.HASH, new HashOn("X-User", null), null);
    for (int u = 0; u < 30; u++) {
      for (int i = 0; i < 3; i++) {
        assertEquals(200, get("/echo", "user-" + u).statusCode());
      }
    }
    for (TestOrigin o : origins) {
      List<String> users = o.seen.stream().map(s -> s.headers().get("X-User")).toList();
      users.forEach(
          u -> assertEquals(3, users.stream().filter(u::equals).count(), u + " always went here"));
    }
    assertTrue(
        served().stream().allMatch(n -> n > 0), "30 users spread over 3 origins: " + served());
  }

  @Test
  void ejectsAnOriginAnswering5xxAndTakesItBackWhenItRecovers() throws Exception {
    proxy =
        proxy(LoadBalancing.ROUND_ROBIN, null, new OutlierDetection(3, Duration.ofMillis(500), 50));
    TestOrigin failing = origins.get(1);
    failing.status = 503;
    int failures = 0;
    for (int i = 0; i < 30; i++) {
      failures += get("/echo", null).statusCode() == 503 ? 1 : 0;
    }
    assertEquals(3, failures, "the origin's own 503s reach the client until it is ejected");
    assertEquals(3, failing.seen.size());
    assertEquals(1.0, proxy.registry.get("tpp.upstream.ejections").counter().count());
    failing.status = 200;
    dev.tpp.proxy.testing.Await.until(
        "the ejected origin serves again",
        () -> {
          assertEquals(200, get("/echo", null).statusCode());
          return failing.seen.size() > 3;
        });
    assertEquals(0.0, endpoints("ejected"));
    assertEquals(3.0, endpoints("healthy"));
  }

  @Test
  void ejectsAnOriginRefusingConnectionsAndTakesItBackWhenItListensAgain() throws Exception {
    proxy =
        proxy(
            LoadBalancing.LEAST_REQUEST, null, new OutlierDetection(2, Duration.ofMillis(500), 50));
    TestOrigin down = origins.get(0);
    int port = down.port();
    down.close();
    for (int i = 0; i < 30; i++) {
      assertEquals(
          200, get("/echo", null).statusCode(), "a refused connect is retried on another origin");
    }
    assertEquals(1.0, proxy.registry.get("tpp.upstream.ejections").counter().count());
    assertEquals(1.0, endpoints("ejected"));
    TestOrigin back = new TestOrigin(port);
    origins.set(0, back);
    dev.tpp.proxy.testing.Await.until(
        "the origin is back in the set",
        () -> {
          assertEquals(200, get("/echo", null).statusCode());
          return back.seen.size() > 0;
        });
    assertEquals(0.0, proxy.count("connect_error"));
  }

  @Test
  void removedOriginClosesIdleConnectionsAtOnceAndBusyOnesAfterTheResponse() throws Exception {
    proxy = proxy(LoadBalancing.ROUND_ROBIN, null, null);
    for (int i = 0; i < 3; i++) {
      assertEquals(200, get("/echo", null).statusCode()); // one idle connection to each origin
    }
    TestOrigin leaving = origins.get(0); // the next in turn
    leaving.downloadGate = new java.util.concurrent.CountDownLatch(1);
    HttpClient other = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    CompletableFuture<HttpResponse<byte[]>> download =
        other.sendAsync( // a new client connection: the other loop
            HttpRequest.newBuilder(proxy.uri("/download?bytes=2000000")).build(),
            BodyHandlers.ofByteArray());
    dev.tpp.proxy.testing.Await.until("the download started", () -> leaving.seen.size() == 2);
    proxy.upstream.update(
        List.of(origins.get(1), origins.get(2)).stream()
            .map(o -> new java.net.InetSocketAddress("127.0.0.1", o.port()))
            .toList());
    assertTrue(
        leaving.closedConnections.poll(5, java.util.concurrent.TimeUnit.SECONDS) != null,
        "the idle connection closed at once");
    assertEquals(1.0, endpoints("draining"));
    leaving.downloadGate.countDown();
    assertEquals(2_000_000, download.get(10, java.util.concurrent.TimeUnit.SECONDS).body().length);
    assertTrue(
        leaving.closedConnections.poll(5, java.util.concurrent.TimeUnit.SECONDS) != null,
        "the busy connection closed after its response");
    assertEquals(0.0, endpoints("draining"));
    for (int i = 0; i < 4; i++) {
      assertEquals(200, get("/echo", null).statusCode());
    }
    assertEquals(2, leaving.seen.size(), "no new request reached the removed origin");
  }

  @Test
  void anEmptyEndpointSetAnswers503WithAClearBody() throws Exception {
    proxy = proxy(LoadBalancing.ROUND_ROBIN, null, null);
    proxy.upstream.update(List.of());
    HttpResponse<String> r = get("/echo", null);
    assertEquals(503, r.statusCode());
    assertTrue(r.body().contains("upstream backend: no endpoints available"), r.body());
    assertEquals(1.0, proxy.count("no_endpoint"));
  }

  private double endpoints(String state) {
    return proxy.registry.get("tpp.upstream.endpoints").tag("state", state).gauge().value();
  }
}
