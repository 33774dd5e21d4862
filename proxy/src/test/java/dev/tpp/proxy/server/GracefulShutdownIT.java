package dev.tpp.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.testing.Await;
import dev.tpp.proxy.testing.RawClient;
import dev.tpp.proxy.testing.TestProxy;
import dev.tpp.waf.engine.WafEngine;
import dev.tpp.waf.engine.WafRequest;
import dev.tpp.waf.engine.WafVerdict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM's drain: readyz 503, no new connections, in-flight requests finish, idle connections
 * close.
 */
class GracefulShutdownIT {
  final CountDownLatch inspecting = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);

  /** Holds requests for /slow in the WAF pool until released: an in-flight request we control. */
  final WafEngine holdSlow =
      new WafEngine() {
        @Override
        public WafVerdict inspect(WafRequest request) {
          if (request.uri().startsWith("/slow")) {
            inspecting.countDown();
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return WafVerdict.pass(List.of());
        }

        @Override
        public int ruleCount() {
          return 0;
        }
      };

  @Test
  void finishesInFlightRequestsThenStops() throws Exception {
    TestProxy proxy =
        TestProxy.start(
            """
        workers: 1
        shutdownTimeout: 10s
        pools: [{name: waf, threads: 1, maxQueue: 4, overflow: reject}]
        waf: {enabled: true, pool: waf}
        routes: [{path: /, return: {status: 200, body: "done\\n"}}]
        """,
            Path.of("."),
            waf -> holdSlow);
    int port = proxy.port();
    try (RawClient busy = new RawClient(port);
        RawClient idle = new RawClient(port)) {
      idle.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponses(1);
      busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
      assertTrue(inspecting.await(10, TimeUnit.SECONDS));

      CompletableFuture<Void> stopped =
          CompletableFuture.runAsync(
              () -> {
                try {
                  proxy.server().shutdown();
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      Await.until("the server drains", () -> proxy.server().draining());
      assertEquals(503, proxy.admin("/readyz").statusCode());
      assertTrue(idle.isClosedByPeer(), "idle keepalive connection closed at once");
      Await.until("listening sockets closed", () -> refused(port));

      release.countDown();
      String out = busy.readUntilClose();
      assertTrue(out.startsWith("HTTP/1.1 200"), out);
      assertTrue(out.toLowerCase().contains("connection: close"), out);
      stopped.get(10, TimeUnit.SECONDS);
    }
  }

  private static boolean refused(int port) {
    try (RawClient c = new RawClient(port)) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Test
  void stopsCleanlyWithTheSharedAcceptor() throws Exception {
    TestProxy proxy =
        TestProxy.start(
            """
        accept: {reusePort: false}
        routes: [{path: /, return: {status: 200, body: ok}}]
        """);
    assertEquals(200, proxy.get("/").statusCode());
    proxy
        .server()
        .shutdown(); // threw RejectedExecutionException when the acceptor was closed twice
    assertTrue(refused(proxy.port()));
  }
}
