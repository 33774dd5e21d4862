package dev.tpp.proxy.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tpp.config.ConfigLoader;
import dev.tpp.config.tls.OpensslCertificates;
import dev.tpp.proxy.testing.TestProxy;
import dev.tpp.proxy.testing.ThreadDump;
import dev.tpp.proxy.tls.TrustingTls;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * h2 over TLS with real clients (curl, java.net.http): ALPN, bodies both ways with flow control,
 * reload under load.
 */
class Http2TlsIT {
  @TempDir Path dir;

  /**
   * The key pool runs at {@code priority: normal}: this class tests h2 and reload, and the default
   * for a key pool, {@code low} ({@code SCHED_IDLE}), gets no CPU at all on a host whose cores
   * other processes keep busy (docs/proxy.md), so a test run there would measure the host.
   */
  String config(String body, int workers, int originPort) {
    return """
        workers: %d
        pools: [{name: tls, threads: 1, maxQueue: 256, priority: normal}]
        listeners:
          - {name: https, address: 127.0.0.1, port: 0, http2: true,
             tls: {certificates: [{certFile: site.crt, keyFile: site.key}]}}
        upstreams: [{name: echo, endpoints: ["127.0.0.1:%d"]}]
        routes:
          - {path: /hello, return: {status: 200, body: "%s"}}
          - {path: /echo, upstream: echo}
        """
        .formatted(workers, originPort, body);
  }

  @Test
  void alpnPrefersH2AndBodiesStreamBothWays() throws Exception {
    OpensslCertificates.make(dir, "site", "ec", 30, "site.test", "IP:127.0.0.1");
    HttpServer echo = echoOrigin();
    try (TestProxy proxy =
        TestProxy.start(config("hello", 1, echo.getAddress().getPort()), dir, null)) {
      int port = proxy.server().port("https");
      Process curl =
          new ProcessBuilder(
                  "curl",
                  "-sk",
                  "--http2",
                  "-o",
                  "/dev/null",
                  "-w",
                  "%{http_version}",
                  "--resolve",
                  "site.test:" + port + ":127.0.0.1",
                  "https://site.test:" + port + "/hello")
              .start();
      assertEquals(
          "2",
          new String(curl.getInputStream().readAllBytes()).trim(),
          "curl offers h2 and http/1.1");
      HttpClient client =
          HttpClient.newBuilder()
              .sslContext(TrustingTls.context())
              .version(HttpClient.Version.HTTP_2)
              .build();
      byte[] upload =
          new byte[3 * 1024 * 1024]; // far beyond the 64 KiB stream window: flow control both ways
      new java.util.Random(7).nextBytes(upload);
      HttpResponse<byte[]> response =
          client.send(
              HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/echo"))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(upload))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(HttpClient.Version.HTTP_2, response.version());
      assertEquals(200, response.statusCode());
      assertTrue(
          Arrays.equals(
              MessageDigest.getInstance("SHA-256").digest(upload),
              MessageDigest.getInstance("SHA-256").digest(response.body())),
          "the origin's echo, byte for byte");
      assertEquals("https", response.headers().firstValue("x-seen-proto").orElse(null));
    } finally {
      echo.stop(0);
    }
  }

  @Test
  void reloadsUnderH2LoadFailNoRequest() throws Exception {
    OpensslCertificates.make(dir, "site", "ec", 30, "site.test", "IP:127.0.0.1");
    HttpServer echo = echoOrigin();
    try (TestProxy proxy =
        TestProxy.start(config("v0", 1, echo.getAddress().getPort()), dir, null)) {
      int port = proxy.server().port("https");
      H2LoadClient client = new H2LoadClient(port);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong ok = new AtomicLong();
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      List<Thread> load = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread thread =
            new Thread(
                () -> {
                  long deadline = System.nanoTime() + 60_000_000_000L;
                  while (!stop.get() && System.nanoTime() < deadline) {
                    try {
                      H2LoadClient.Result r = client.get("/hello");
                      if (r.status() == 200 && r.body().startsWith("v")) {
                        ok.incrementAndGet();
                      } else {
                        failures.add(r.status() + " " + r.body() + " " + r.failure());
                      }
                    } catch (Exception e) {
                      failures.add(e.toString());
                    }
                  }
                });
        thread.start();
        load.add(thread);
      }
      int[] workers = {2, 1, 2, 1};
      for (int i = 0; i < workers.length; i++) {
        awaitProgress(ok, failures); // load flows between reloads
        proxy
            .server()
            .reload(
                ConfigLoader.parse(
                    TestProxy.withEphemeralPorts(
                            config("v" + (i + 1), workers[i], echo.getAddress().getPort()))
                        .replace("port: 0, http2", "port: " + port + ", http2"),
                    dir));
      }
      awaitProgress(ok, failures);
      stop.set(true);
      for (Thread thread : load) {
        thread.join(20_000);
      }
      client.close();
      System.out.printf(
          "Http2TlsIT reload summary: ok=%d failed=%d retried=%d (connection closed before the"
              + " HEADERS were written: %d)%n",
          ok.get(), failures.size(), client.retried.get(), client.unsent.get());
      assertEquals(List.of(), new ArrayList<>(failures), "failed requests during 4 reloads");
      assertTrue(ok.get() >= 250, "requests served: " + ok.get());
    } finally {
      echo.stop(0);
    }
  }

  /** 50 more requests served, or the failures so far if that takes more than 20 s. */
  private static void awaitProgress(AtomicLong ok, ConcurrentLinkedQueue<String> failures)
      throws Exception {
    long before = ok.get();
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (ok.get() < before + 50) {
      if (System.nanoTime() >= deadline) {
        ThreadDump.print("no progress");
      }
      assertTrue(System.nanoTime() < deadline, "no progress; failures: " + failures);
      Thread.sleep(5);
    }
  }

  private static HttpServer echoOrigin() throws Exception {
    HttpServer origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    origin.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          exchange
              .getResponseHeaders()
              .add("x-seen-proto", exchange.getRequestHeaders().getFirst("X-Forwarded-Proto"));
          exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    origin.start();
    return origin;
  }
}
