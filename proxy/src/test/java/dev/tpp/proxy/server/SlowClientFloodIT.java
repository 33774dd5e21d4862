package dev.tpp.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.testing.Await;
import dev.tpp.proxy.testing.RawClient;
import dev.tpp.proxy.testing.TestProxy;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Many bad clients at once on one worker: 1,000 idle connections and 100 more beyond the worker's
 * limit; then 50 of them turn slowloris (a header line at a time) and 50 send a body that stalls
 * after 10 of 100 bytes. The worker holds exactly its limit and closes the rest at once (counted),
 * every slow head gets its 408, every stalled body is cut off by {@code http.bodyTimeout} (the
 * {@code return} route has answered already, as nginx's {@code return} does, so the log says {@code
 * event=body_timeout response_started=true}), the idle ones are closed by the idle timeout, the
 * direct memory in use stays bounded, and a keepalive client is answered throughout. {@code
 * bench/slow-clients.py} measures the same against the real jar with 5,000 connections.
 */
class SlowClientFloodIT {
  private static final String GET = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

  @Test
  void boundsIdleSlowAndExcessConnectionsWhileServingOthers() throws Exception {
    try (TestProxy proxy =
            TestProxy.start(
                """
        workers: 1
        accept: {maxConnectionsPerWorker: 1001}
        keepalive: {idleTimeout: 15s}
        http: {headerTimeout: 3s, bodyTimeout: 3s}
        routes: [{path: /, return: {status: 200, body: "ok\\n"}}]
        """);
        RawClient normal = new RawClient(proxy.port())) {
      assertServed(normal);
      long directBefore = directMemoryUsed();
      List<RawClient> bad = new ArrayList<>();
      try {
        for (int i = 0; i < 1000; i++) {
          bad.add(new RawClient(proxy.port()));
        }
        Await.until(
            "1001 connections held", () -> proxy.metrics().value("tpp_connections_active") == 1001);
        for (int i = 0; i < 100; i++) {
          try (RawClient excess = new RawClient(proxy.port())) {
            assertTrue(excess.isClosedByPeer(), "a connection beyond the limit is closed at once");
          }
        }
        assertEquals(100, proxy.metrics().value("tpp_connections_rejected_total"));
        for (int i = 0; i < bad.size(); i += 20) {
          bad.get(i).send("GET / HTTP/1.1\r\nHost: a\r\n"); // slowloris: a head that never ends
          bad.get(i + 1)
              .send(
                  "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n0123456789"); // stalls
        }
        long directDuring = directMemoryUsed();
        for (int round = 0;
            round < 150 && proxy.metrics().value("tpp_connections_active") > 1;
            round++) {
          for (int i = 0; i < bad.size(); i += 20) {
            trickle(bad.get(i), "X-" + round + ": y\r\n"); // progress, but never a whole head
          }
          assertServed(normal);
          normal.socket().setSoTimeout(200);
          try {
            normal.socket().getInputStream().read(); // paces the loop; nothing is expected
          } catch (java.net.SocketTimeoutException paced) {
            // as expected
          }
        }
        normal.socket().setSoTimeout(10_000);
        Await.until(
            "all bad connections closed",
            () -> proxy.metrics().value("tpp_connections_active") == 1);
        assertEquals(
            50,
            proxy.metrics().value("tpp_http_requests_total", "status", "408"),
            "each slowloris head was answered 408");
        assertServed(normal);
        System.out.printf(
            "direct memory in use: %d KiB before, %d KiB with 1001 connections held%n",
            directBefore / 1024, directDuring / 1024);
        assertTrue(
            directDuring - directBefore < 32L << 20,
            "direct memory for 1000 held connections: "
                + (directDuring - directBefore) / 1024
                + " KiB");
      } finally {
        for (RawClient c : bad) {
          c.close();
        }
      }
    }
  }

  private static void assertServed(RawClient client) throws IOException {
    assertTrue(
        client.send(GET).readResponses(1).startsWith("HTTP/1.1 200"),
        "a keepalive client is served");
  }

  private static void trickle(RawClient client, String line) {
    try {
      client.send(line);
    } catch (IOException closedAfter408) {
      // the proxy answered and closed it
    }
  }

  /**
   * What the proxy's allocator holds in direct memory (the test and the proxy share the JVM and its
   * allocator).
   */
  private static long directMemoryUsed() {
    return ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p
        ? p.metric().usedDirectMemory()
        : 0;
  }
}
