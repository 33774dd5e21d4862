package dev.tpp.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tpp.proxy.testing.Await;
import dev.tpp.proxy.testing.Metrics;
import dev.tpp.proxy.testing.RawClient;
import dev.tpp.proxy.testing.TestProxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Connections spread across workers; the per-worker gauges show the balance. */
class AcceptBalanceIT {

  @Test
  void sharedAcceptorHandsConnectionsToLeastLoadedWorker() throws Exception {
    try (TestProxy proxy =
        TestProxy.start(
            """
        workers: 3
        accept: {reusePort: false}
        routes: [{path: /, return: {status: 200, body: ok}}]
        """)) {
      List<RawClient> clients = new ArrayList<>();
      try {
        for (int i = 0; i < 9; i++) {
          RawClient c = new RawClient(proxy.port());
          c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
              .readResponses(1); // connection is registered and served
          clients.add(c);
        }
        Metrics m = proxy.metrics();
        for (String w : new String[] {"0", "1", "2"}) {
          assertEquals(3, m.value("tpp_connections_active", "worker", w), "worker " + w);
        }
        // The first two connections went to workers 0 and 1; closing them leaves 2, 2, 3.
        clients.remove(0).close();
        clients.remove(0).close();
        Await.until(
            "the server saw both closes",
            () -> proxy.metrics().value("tpp_connections_active") == 7);
        RawClient next = new RawClient(proxy.port());
        clients.add(next);
        next.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponses(1);
        m = proxy.metrics();
        assertEquals(
            3,
            m.value("tpp_connections_active", "worker", "0"),
            "new connection to a least-loaded worker");
        assertEquals(2, m.value("tpp_connections_active", "worker", "1"));
        assertEquals(10, m.value("tpp_connections_accepted_total"));
      } finally {
        for (RawClient c : clients) {
          c.close();
        }
      }
    }
  }

  @Test
  void sharedAcceptorAlternatesShortConnectionsWhenWorkersAreEquallyLoaded() throws Exception {
    try (TestProxy proxy =
        TestProxy.start(
            """
        workers: 2
        accept: {reusePort: false}
        routes: [{path: /, return: {status: 200, body: ok}}]
        """)) {
      for (int i = 0;
          i < 10;
          i++) { // each connection closes before the next: both workers hold 0 every time
        try (RawClient c = new RawClient(proxy.port())) {
          c.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").readUntilClose();
        }
        Await.until(
            "the server saw the close", () -> proxy.metrics().value("tpp_connections_active") == 0);
      }
      Metrics m = proxy.metrics();
      for (String w : new String[] {"0", "1"}) {
        assertEquals(
            5,
            m.value("tpp_connections_accepted_total", "worker", w),
            "ties taken in turn, worker " + w);
        assertEquals(
            5, m.value("tpp_worker_requests_total", "worker", w), "requests per worker " + w);
      }
    }
  }

  @Test
  void reusePortBindsOneSocketPerWorkerAndServesOnAll() throws Exception {
    try (TestProxy proxy =
        TestProxy.start(
            """
        workers: 2
        accept: {reusePort: true}
        routes: [{path: /, return: {status: 200, body: ok}}]
        """)) {
      for (int i = 0; i < 40; i++) {
        try (RawClient c = new RawClient(proxy.port())) {
          c.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").readUntilClose();
        }
      }
      Metrics m = proxy.metrics();
      assertEquals(40, m.value("tpp_connections_accepted_total"));
      // The kernel hashes connections over the two sockets; 40 connections landing all on one is
      // ~1e-12 likely.
      assertEquals(
          true,
          m.value("tpp_connections_accepted_total", "worker", "0") > 0
              && m.value("tpp_connections_accepted_total", "worker", "1") > 0);
    }
  }
}
