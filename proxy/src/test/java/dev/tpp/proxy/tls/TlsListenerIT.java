package dev.tpp.proxy.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tpp.config.tls.OpensslCertificates;
import dev.tpp.proxy.testing.Metrics;
import dev.tpp.proxy.testing.RawClient;
import dev.tpp.proxy.testing.TestProxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS through real clients (curl, openssl s_client): SNI, redirect, forwarded scheme, resumption,
 * the key pool.
 */
class TlsListenerIT {
  static final String REQUEST =
      "GET /hello HTTP/1.1\r\nHost: site.test\r\nConnection: close\r\n\r\n";

  @TempDir Path dir;
  Path[] site;
  Path[] other;

  @BeforeEach
  void certificates() throws Exception {
    site = OpensslCertificates.make(dir, "site", "rsa", 30, "site.test", "*.site.test");
    other = OpensslCertificates.make(dir, "other", "ec", 30, "other.test");
  }

  static String config(int threads, String extra) {
    return """
        workers: 1
        pools: [{name: tls, threads: %d, maxQueue: 64}]
        listeners:
          - name: https
            address: 127.0.0.1
            port: 0
            tls:
              certificates:
                - {certFile: site.crt, keyFile: site.key}
                - {certFile: other.crt, keyFile: other.key}
        routes:
          - {path: /hello, return: {status: 200, body: "hello"}}
        %s"""
        .formatted(threads, extra);
  }

  @Test
  void servesEachServerNameItsCertificateAndTheFirstToUnknownNames() throws Exception {
    try (TestProxy proxy = TestProxy.start(config(2, ""), dir, null)) {
      int port = proxy.server().port("https");
      assertEquals("200 hello", TlsClients.curl("site.test", port, "/hello", site[0]));
      assertEquals(
          "200 hello", TlsClients.curl("www.site.test", port, "/hello", site[0]), "wildcard");
      assertEquals("200 hello", TlsClients.curl("other.test", port, "/hello", other[0]));
      assertTrue(
          TlsClients.sClient(port, "unknown.test", "").contains("subject=CN = site.test"),
          "an unknown name gets the first certificate");
      assertEquals(
          "200 hello",
          proxy.get("/hello").statusCode() + " " + proxy.get("/hello").body(),
          "the plain listener still serves");
      Metrics m = proxy.metrics();
      assertEquals(
          4, m.value("tpp_tls_handshakes_total", "listener", "https", "result", "success"));
      assertEquals(4, m.value("tpp_tls_handshake_seconds_count", "listener", "https"));
      assertTrue(
          m.value("tpp_tls_certificate_expiry_timestamp_seconds", "server_name", "other.test")
              > System.currentTimeMillis() / 1000.0 + 29 * 86400);
    }
  }

  @Test
  void resumedHandshakesSkipTheSignature() throws Exception {
    try (TestProxy proxy = TestProxy.start(config(1, ""), dir, null)) {
      int port = proxy.server().port("https");
      Path session = dir.resolve("session.pem");
      for (String version : new String[] {"-tls1_3", "-tls1_2"}) {
        String full =
            TlsClients.sClient(
                port, "site.test", REQUEST, version, "-sess_out", session.toString());
        assertTrue(full.contains("New, TLSv1.") && full.contains("hello"), full);
        String resumed =
            TlsClients.sClient(port, "site.test", REQUEST, version, "-sess_in", session.toString());
        assertTrue(resumed.contains("Reused, TLSv1.") && resumed.contains("hello"), resumed);
      }
      Metrics m = proxy.metrics();
      assertEquals(
          2, m.value("tpp_tls_handshakes_total", "listener", "https", "result", "success"));
      assertEquals(
          2, m.value("tpp_tls_handshakes_total", "listener", "https", "result", "resumed"));
      assertEquals(
          2,
          m.value("tpp_pool_tasks_total", "pool", "tls", "outcome", "completed"),
          "one signature per full handshake, none for a resumed one");
    }
  }

  @Test
  void signsInThePoolNeverOnTheLoopUnlessThreadsIsZero() throws Exception {
    try (TestProxy pooled = TestProxy.start(config(2, ""), dir, null)) {
      for (int i = 0; i < 3; i++) {
        assertEquals(
            "200 hello",
            TlsClients.curl("other.test", pooled.server().port("https"), "/hello", other[0]));
      }
      Metrics m = pooled.metrics();
      assertEquals(3, m.value("tpp_pool_tasks_total", "pool", "tls", "outcome", "completed"));
      assertEquals(0, m.value("tpp_pool_tasks_total", "pool", "tls", "outcome", "inlined"));
    }
    try (TestProxy inline = TestProxy.start(config(0, ""), dir, null)) {
      for (int i = 0; i < 3; i++) {
        assertEquals(
            "200 hello",
            TlsClients.curl("site.test", inline.server().port("https"), "/hello", site[0]));
      }
      assertEquals(
          3,
          inline.metrics().value("tpp_pool_tasks_total", "pool", "tls", "outcome", "inlined"),
          "threads: 0 signs on the event loop, counted");
    }
  }

  @Test
  void redirectsPlainRequestsAndTellsTheOriginTheScheme() throws Exception {
    AtomicReference<String> proto = new AtomicReference<>();
    HttpServer origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    origin.createContext(
        "/",
        exchange -> {
          proto.set(exchange.getRequestHeaders().getFirst("X-Forwarded-Proto"));
          byte[] body = "origin".getBytes(StandardCharsets.US_ASCII);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    origin.start();
    try (TestProxy proxy =
        TestProxy.start(
            "listen: {address: 127.0.0.1, port: 0, redirectToHttps: 443}\n"
                + config(
                        1,
                        "upstreams: [{name: o, endpoints: [\"127.0.0.1:"
                            + origin.getAddress().getPort()
                            + "\"]}]\n")
                    .replace("routes:\n", "routes:\n  - {path: /app, upstream: o}\n"),
            dir,
            null)) {
      try (RawClient plain = new RawClient(proxy.port())) {
        String redirect =
            plain
                .send(
                    "POST /app/x?q=1 HTTP/1.1\r\nHost: www.site.test:80\r\nContent-Length: 2\r\n"
                        + "\r\nab")
                .readResponses(1);
        assertTrue(redirect.startsWith("HTTP/1.1 308 Permanent Redirect\r\n"), redirect);
        assertTrue(
            redirect.contains("\r\nlocation: https://www.site.test/app/x?q=1\r\n"), redirect);
      }
      assertEquals(
          "200 origin",
          TlsClients.curl("site.test", proxy.server().port("https"), "/app/y", site[0]));
      assertEquals("https", proto.get());
      assertEquals(
          1,
          proxy
              .metrics()
              .value("tpp_http_requests_total", "route", "https-redirect", "status", "308"));
    } finally {
      origin.stop(0);
    }
  }
}
