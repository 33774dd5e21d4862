package dev.tpp.proxy.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.tls.OpensslCertificates;
import dev.tpp.proxy.testing.Metrics;
import dev.tpp.proxy.testing.TestProxy;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a TLS handshake runs: with a key pool that has threads, on a handshake loop ({@code
 * tpp-handshake-*}) beside the worker, the connection then moving to the worker for its requests;
 * with {@code threads: 0}, on the worker loop. Measured as CPU time per thread (the JVM's own
 * per-thread clocks) over real handshakes from the JDK's TLS client, each a full one (a new client
 * context every time: nothing to resume).
 */
class TlsHandshakeLoopsIT {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @TempDir Path dir;

  @BeforeEach
  void certificates() throws Exception {
    OpensslCertificates.make(dir, "site", "rsa", 30, "site.test");
  }

  static String config(int threads, String priority) {
    return """
        workers: 1
        pools: [{name: tls, threads: %d, maxQueue: 64, priority: %s}]
        listeners:
          - name: https
            address: 127.0.0.1
            port: 0
            tls:
              certificates: [{certFile: site.crt, keyFile: site.key}]
        routes:
          - {path: /hello, return: {status: 200, body: "hello"}}
        """
        .formatted(threads, priority);
  }

  @Test
  void handshakesRunOnTheHandshakeLoopAndRequestsOnTheWorker() throws Exception {
    try (TestProxy proxy = TestProxy.start(config(1, "low"), dir, null)) {
      int port = proxy.server().port("https");
      connections(port, 20); // the JIT's first passes, on both loops
      Map<String, Long> before = cpuByThreadKind();
      connections(port, 60);
      Map<String, Long> spent = since(before);
      long handshake = spent.getOrDefault("tpp-handshake", 0L);
      long worker = spent.getOrDefault("tpp-worker", 0L);
      assertTrue(
          handshake > worker,
          "the handshake loop did the handshakes (" + handshake + " ns), the worker " + worker);
      Metrics m = proxy.metrics();
      assertEquals(
          80, m.value("tpp_tls_handshakes_total", "listener", "https", "result", "success"));
      assertEquals(80, m.value("tpp_pool_tasks_total", "pool", "tls", "outcome", "completed"));
      assertEquals(80, m.value("tpp_http_requests_total", "route", "/hello", "status", "200"));
    }
  }

  @Test
  void withThreadsZeroTheWorkerHandshakesItself() throws Exception {
    try (TestProxy proxy = TestProxy.start(config(0, "normal"), dir, null)) {
      Map<String, Long> before = cpuByThreadKind();
      connections(proxy.server().port("https"), 10);
      Map<String, Long> spent = since(before);
      assertEquals(0L, spent.getOrDefault("tpp-handshake", 0L), "no handshake loop ran");
      assertTrue(spent.getOrDefault("tpp-worker", 0L) > 0, "the worker did it all");
      assertEquals(
          10,
          proxy.metrics().value("tpp_pool_tasks_total", "pool", "tls", "outcome", "inlined"),
          "signed on the worker loop");
    }
  }

  @Test
  void aMovedConnectionKeepsServingItsRequests() throws Exception {
    try (TestProxy proxy = TestProxy.start(config(1, "normal"), dir, null);
        SSLSocket socket = TrustingTls.connect(proxy.server().port("https"), "site.test")) {
      for (int i = 0; i < 3; i++) {
        String response = TrustingTls.get(socket, "/hello");
        assertTrue(response.startsWith("HTTP/1.1 200 ") && response.endsWith("hello"), response);
      }
    }
  }

  /** {@code n} connections, each a full handshake, one request and a close. */
  private static void connections(int port, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      try (SSLSocket socket = TrustingTls.connect(port, "site.test")) {
        String response = TrustingTls.get(socket, "/hello");
        assertTrue(response.startsWith("HTTP/1.1 200 "), response);
      }
    }
  }

  /** CPU time of the live proxy threads, summed by name up to the loop number. */
  private static Map<String, Long> cpuByThreadKind() {
    Map<String, Long> cpu = new HashMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String name = t.getName();
      String kind =
          name.startsWith("tpp-handshake")
              ? "tpp-handshake"
              : name.startsWith("tpp-worker") ? "tpp-worker" : null;
      long nanos = kind == null ? -1 : THREADS.getThreadCpuTime(t.getId());
      if (nanos > 0) {
        cpu.merge(kind, nanos, Long::sum);
      }
    }
    return cpu;
  }

  private static Map<String, Long> since(Map<String, Long> before) {
    Map<String, Long> spent = new HashMap<>(cpuByThreadKind());
    before.forEach((kind, nanos) -> spent.merge(kind, -nanos, Long::sum));
    return spent;
  }
}
