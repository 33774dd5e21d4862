package dev.tpp.proxy.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import dev.tpp.proxy.testing.TestProxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an origin receives for an HTTP/2 request (h2c, raw frames): the HTTP/1.1 request a browser
 * would have sent, with Host from {@code :authority}, the cookie fields joined, a body without a
 * length chunked, and none of the {@code x-http2-*} fields a client may try to smuggle in; and what
 * an HTTP/2 client (curl) receives of the origin's response head: its fields, names lower-cased;
 * and the frames of a whole response the proxy answers itself (a {@code return} route).
 */
class Http2HeadConversionIT {
  private record Seen(String method, Headers headers, String body) {}

  private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
  private HttpServer origin;
  private TestProxy proxy;

  @BeforeEach
  void start() throws Exception {
    origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    origin.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().add("X-Mixed-Case", "Value ABC");
          exchange.getResponseHeaders().add("ETag", "\"v1\"");
          exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=UTF-8");
          seen.add(
              new Seen(
                  exchange.getRequestMethod(),
                  exchange.getRequestHeaders(),
                  new String(body, StandardCharsets.UTF_8)));
          exchange.sendResponseHeaders(200, 2);
          exchange.getResponseBody().write("ok".getBytes(StandardCharsets.US_ASCII));
          exchange.close();
        });
    origin.start();
    proxy =
        TestProxy.start(
            """
            listen: {address: 127.0.0.1, port: 0, http2: true}
            workers: 1
            upstreams: [{name: o, endpoints: ["127.0.0.1:%d"]}]
            routes:
              - {path: /fixed, return: {status: 200, body: "fixed\\n"}}
              - {path: /, upstream: o}
            """
                .formatted(origin.getAddress().getPort()));
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    origin.stop(0);
  }

  @Test
  void theOriginGetsHostFromAuthorityJoinedCookiesAndNoConversionHeaders() throws Exception {
    try (RawH2Client h2 = new RawH2Client(proxy.port(), -1)) {
      h2.request(
          1,
          "GET",
          "/page?q=1",
          true,
          "cookie",
          "a=1",
          "x-http2-stream-id",
          "99",
          "x-http2-scheme",
          "https",
          "cookie",
          "b=2",
          "host",
          "h2.test");
      assertNotNull(h2.await(RawH2Client.DATA, 1));
    }
    Seen request = seen.poll(5, TimeUnit.SECONDS);
    assertNotNull(request);
    assertEquals("GET", request.method());
    assertEquals(List.of("h2.test"), request.headers().get("Host"), "one Host, from :authority");
    assertEquals(List.of("a=1; b=2"), request.headers().get("Cookie"));
    assertNull(request.headers().get("X-http2-stream-id"));
    assertNull(request.headers().get("X-http2-scheme"));
    assertEquals(List.of("h2.test"), request.headers().get("X-forwarded-host"));
  }

  @Test
  void theClientGetsTheOriginsFieldsWithLowerCaseNames() throws Exception {
    Process curl =
        new ProcessBuilder(
                "curl",
                "-s",
                "--http2-prior-knowledge",
                "-D",
                "-",
                "-o",
                "/dev/null",
                "http://127.0.0.1:" + proxy.port() + "/page")
            .start();
    List<String> head =
        new String(curl.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)
            .lines()
            .toList();
    assertEquals(0, curl.waitFor(), "curl accepted the HEADERS: " + head);
    assertTrue(head.get(0).startsWith("HTTP/2 200"), head.get(0));
    assertTrue(head.contains("x-mixed-case: Value ABC"), head.toString());
    assertTrue(head.contains("etag: \"v1\""), head.toString());
    assertTrue(head.contains("content-type: text/plain; charset=UTF-8"), head.toString());
    assertTrue(head.contains("content-length: 2"), head.toString());
  }

  @Test
  void aBodyWithoutALengthGoesToTheOriginChunked() throws Exception {
    try (RawH2Client h2 = new RawH2Client(proxy.port(), -1)) {
      h2.request(1, "POST", "/form", false);
      h2.frame(
          RawH2Client.DATA,
          RawH2Client.END_STREAM,
          1,
          "name=value".getBytes(StandardCharsets.US_ASCII));
      assertNotNull(h2.await(RawH2Client.DATA, 1));
    }
    Seen request = seen.poll(5, TimeUnit.SECONDS);
    assertNotNull(request);
    assertEquals("POST", request.method());
    assertEquals(List.of("chunked"), request.headers().get("Transfer-encoding"));
    assertEquals("name=value", request.body());
  }

  @Test
  void aHostThatContradictsTheAuthorityResetsTheStream() throws Exception {
    try (RawH2Client h2 = new RawH2Client(proxy.port(), -1)) {
      h2.request(1, "GET", "/", true, "host", "elsewhere.test");
      assertEquals(Http2IT.PROTOCOL_ERROR, h2.await(RawH2Client.RST_STREAM, 1).errorCode());
      h2.request(3, "GET", "/", true);
      assertNotNull(h2.await(RawH2Client.DATA, 3), "the connection goes on");
    }
    assertEquals(1, seen.size(), "only the second request reached the origin");
  }

  @Test
  void aReturnRouteIsOneHeadersAndOneDataFrameEndingTheStream() throws Exception {
    try (RawH2Client h2 = new RawH2Client(proxy.port(), -1)) {
      h2.request(1, "GET", "/fixed", true);
      RawH2Client.Frame headers = h2.await(RawH2Client.HEADERS, 1);
      assertEquals(0, headers.flags() & RawH2Client.END_STREAM, "the body follows the HEADERS");
      RawH2Client.Frame data = h2.await(RawH2Client.DATA, 1);
      assertEquals("fixed\n", new String(data.payload(), StandardCharsets.US_ASCII));
      assertEquals(RawH2Client.END_STREAM, data.flags() & RawH2Client.END_STREAM);
      h2.request(3, "HEAD", "/fixed", true);
      RawH2Client.Frame head = h2.await(RawH2Client.HEADERS, 3);
      assertEquals(RawH2Client.END_STREAM, head.flags() & RawH2Client.END_STREAM, "no DATA");
    }
    Process curl =
        new ProcessBuilder(
                "curl",
                "-s",
                "--http2-prior-knowledge",
                "-i",
                "http://127.0.0.1:" + proxy.port() + "/fixed")
            .start();
    String answer = new String(curl.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    assertEquals(0, curl.waitFor(), answer);
    List<String> lines = answer.lines().toList();
    assertTrue(lines.get(0).startsWith("HTTP/2 200"), answer);
    assertTrue(lines.contains("content-type: text/plain; charset=utf-8"), answer);
    assertTrue(lines.contains("content-length: 6"), answer);
    assertTrue(answer.endsWith("\r\n\r\nfixed\n"), answer);
  }
}
