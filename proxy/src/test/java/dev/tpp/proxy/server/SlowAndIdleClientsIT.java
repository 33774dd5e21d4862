package dev.tpp.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.testing.Await;
import dev.tpp.proxy.testing.RawClient;
import dev.tpp.proxy.testing.TestProxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Idle and slow clients are bounded: a worker closes connections beyond {@code
 * accept.maxConnectionsPerWorker} at once (counted), a slowloris head gets 408 once {@code
 * http.headerTimeout} is up however steadily it trickles, and the proxy answers a normal request
 * throughout.
 */
class SlowAndIdleClientsIT {

  @Test
  void closesConnectionsBeyondTheWorkersLimitAndCountsThem() throws Exception {
    try (TestProxy proxy =
        TestProxy.start(
            """
        workers: 1
        accept: {maxConnectionsPerWorker: 5}
        routes: [{path: /, return: {status: 200, body: "ok\\n"}}]
        """)) {
      List<RawClient> idle = new ArrayList<>();
      try {
        for (int i = 0; i < 5; i++) {
          idle.add(new RawClient(proxy.port()));
        }
        Await.until(
            "5 connections open", () -> proxy.metrics().value("tpp_connections_active") == 5);
        try (RawClient sixth = new RawClient(proxy.port())) {
          assertTrue(sixth.isClosedByPeer(), "the 6th connection is closed at once");
        }
        assertEquals(1, proxy.metrics().value("tpp_connections_rejected_total"));
        idle.remove(0).close();
        Await.until("a slot is free", () -> proxy.metrics().value("tpp_connections_active") == 4);
        try (RawClient next = new RawClient(proxy.port())) {
          assertTrue(
              next.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
                  .readResponses(1)
                  .startsWith("HTTP/1.1 200"));
        }
      } finally {
        for (RawClient c : idle) {
          c.close();
        }
      }
    }
  }

  @Test
  void answersASlowlorisHead408WhileServingOthers() throws Exception {
    try (TestProxy proxy =
            TestProxy.start(
                """
        workers: 1
        http: {headerTimeout: 1s}
        routes: [{path: /, return: {status: 200, body: "ok\\n"}}]
        """);
        RawClient slow = new RawClient(proxy.port())) {
      slow.send("GET / HTTP/1.1\r\nHost: a\r\n");
      String answer = null;
      for (int i = 0; i < 100 && answer == null; i++) {
        try {
          slow.send(
              "X-" + i + ": y\r\n"); // a header line every 100 ms: progress, but never a whole head
        } catch (java.io.IOException closed) {
          answer = slow.readUntilClose();
          break;
        }
        assertEquals(200, proxy.get("/").statusCode(), "others are served meanwhile");
        slow.socket().setSoTimeout(100);
        try {
          int b = slow.socket().getInputStream().read();
          slow.socket().setSoTimeout(10_000);
          answer = b < 0 ? "" : (char) b + slow.readUntilClose();
        } catch (java.net.SocketTimeoutException stillWaiting) {
          // not yet
        }
      }
      assertTrue(
          answer != null && answer.startsWith("HTTP/1.1 408"), "slowloris answered: " + answer);
      assertEquals(1, proxy.metrics().value("tpp_http_requests_total", "status", "408"));
    }
  }
}
