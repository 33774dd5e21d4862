package dev.tpp.proxy.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.tls.OpensslCertificates;
import dev.tpp.proxy.testing.Await;
import dev.tpp.proxy.testing.TestProxy;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that cannot or will not finish a handshake: each gets an alert or a close in time,
 * counted.
 */
class TlsBadClientsIT {
  @TempDir Path dir;

  @Test
  void garbageOldProtocolsStallsAndAFullPoolEndCleanlyAndAreCounted() throws Exception {
    Path[] site = OpensslCertificates.make(dir, "site", "ec", 30, "site.test");
    try (TestProxy proxy =
        TestProxy.start(
            """
        workers: 1
        pools: [{name: tls, threads: 1, maxQueue: 0, overflow: reject}]
        listeners:
          - {name: https, address: 127.0.0.1, port: 0,
             tls: {certificates: [{certFile: site.crt, keyFile: site.key}], handshakeTimeout: 1s}}
        routes: [{path: /hello, return: {status: 200, body: "hello"}}]
        """,
            dir,
            null)) {
      int port = proxy.server().port("https");

      long start = System.nanoTime();
      assertTrue(
          closedByServer(
              port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
          "plain HTTP on the TLS port: closed");
      assertTrue(
          closedByServer(port, new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01}),
          "a ClientHello that never completes: closed by the handshake timeout");
      assertTrue(
          System.nanoTime() - start < 8_000_000_000L,
          "within the timeout, not the client's patience");
      String tls10 = TlsClients.sClient(port, "site.test", "", "-tls1");
      assertTrue(tls10.contains("alert protocol version"), tls10);

      CountDownLatch release = new CountDownLatch(1);
      proxy
          .server()
          .pools()
          .get("tls")
          .submit(
              ImmediateEventExecutor.INSTANCE,
              () -> {
                release.await();
                return null;
              },
              (result, failure) -> {});
      assertTrue(
          TlsClients.curl("site.test", port, "/hello", site[0]).startsWith("000 "),
          "a full tls pool fails the handshake with an alert");
      double ran = proxy.metrics().value("tpp_pool_tasks_total", "pool", "tls");
      release.countDown();
      // the pool's one thread takes a handshake again once the blocking task is counted as done:
      // on a busy host that thread (priority low, SCHED_IDLE) may take a while to get there, and a
      // handshake before then is refused as the one above was
      Await.until(
          "the blocking task is done",
          () -> proxy.metrics().value("tpp_pool_tasks_total", "pool", "tls") > ran);
      assertEquals(
          "200 hello", TlsClients.curl("site.test", port, "/hello", site[0]), "and recovers");

      assertEquals(
          4,
          proxy
              .metrics()
              .value("tpp_tls_handshakes_total", "listener", "https", "result", "failure"));
      assertEquals(
          1, proxy.metrics().value("tpp_pool_tasks_total", "pool", "tls", "outcome", "rejected"));
      assertEquals(200, proxy.get("/hello").statusCode(), "the loop kept serving throughout");
    }
  }

  /** Sends {@code bytes} and reads until the server closes (true) or 5 s pass (false). */
  private static boolean closedByServer(int port, byte[] bytes) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(bytes);
      InputStream in = socket.getInputStream();
      while (in.read() >= 0) {
        // an alert, then the close
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }
}
