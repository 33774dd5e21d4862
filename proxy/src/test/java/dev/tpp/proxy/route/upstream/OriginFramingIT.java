package dev.tpp.proxy.route.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.testing.RawClient;
import dev.tpp.proxy.testing.TestProxy;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The origin's response as an HTTP/1.1 client gets it through the real proxy, whose relay copies
 * the head as bytes and frames the body for the client's connection: chunked or close-delimited
 * when the origin gave no length, no body for HEAD, interim responses and hop-by-hop fields held
 * back, a malformed head answered 502.
 */
class OriginFramingIT {
  private static final String BIG = "b".repeat(3000);
  private static CannedOrigin origin;
  private static TestProxy proxy;

  @BeforeAll
  static void start() throws Exception {
    origin =
        new CannedOrigin(
            Map.of(
                "/chunked",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n"
                    + "5\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n",
                "/big",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(BIG.length())
                    + "\r\n"
                    + BIG
                    + "\r\n0\r\n\r\n",
                "/until-close",
                "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nbye",
                "/length",
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
                "/head",
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n",
                "/early",
                "HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n"
                    + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                "/hop",
                "HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\n"
                    + "Keep-Alive: timeout=5\r\nX-End: 1\r\nContent-Length: 0\r\n\r\n",
                "/fold",
                "HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\nContent-Length: 0\r\n\r\n"),
            Map.of("/until-close", true));
    proxy =
        TestProxy.start(
            "workers: 1\n"
                + "upstreams:\n"
                + "  - {name: canned, endpoints: [\"127.0.0.1:"
                + origin.port()
                + "\"], keepaliveConnections: 4, connectTimeout: 1s, responseTimeout: 5s}\n"
                + "routes:\n"
                + "  - {path: /, waf: false, upstream: canned}\n");
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    origin.close();
  }

  private static String get(String path, String version) throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.send("GET " + path + " " + version + "\r\nHost: a\r\nConnection: close\r\n\r\n");
      return c.readUntilClose();
    }
  }

  @Test
  void aChunkedBodyIsRechunkedForAnHttp11ClientWithoutTrailers() throws Exception {
    String out = get("/chunked", "HTTP/1.1");
    assertTrue(out.startsWith("HTTP/1.1 200 OK\r\n"), out);
    assertTrue(out.contains("\r\nX-A: 1\r\n"), out);
    assertTrue(out.contains("\r\ntransfer-encoding: chunked\r\n"), out);
    assertTrue(out.endsWith("\r\n\r\n5\r\nhello\r\n0\r\n\r\n"), out);
    assertFalse(out.contains("X-Trailer"), out);
    String big = get("/big", "HTTP/1.1"); // one chunk per piece the origin's socket gave
    assertEquals(BIG, dechunk(big.substring(big.indexOf("\r\n\r\n") + 4)));
  }

  /** The data of a chunked body that must end with the last chunk and no trailers. */
  private static String dechunk(String chunked) {
    StringBuilder data = new StringBuilder();
    int i = 0;
    while (true) {
      int lf = chunked.indexOf("\r\n", i);
      int size = Integer.parseInt(chunked.substring(i, lf), 16);
      if (size == 0) {
        assertEquals("\r\n", chunked.substring(lf + 2), "the body ends after the last chunk");
        return data.toString();
      }
      data.append(chunked, lf + 2, lf + 2 + size);
      assertEquals("\r\n", chunked.substring(lf + 2 + size, lf + 4 + size));
      i = lf + 4 + size;
    }
  }

  @Test
  void anHttp10ClientGetsABodyEndedByTheClose() throws Exception {
    String out = get("/chunked", "HTTP/1.0");
    assertTrue(out.startsWith("HTTP/1.1 200 OK\r\n"), out);
    assertFalse(out.toLowerCase().contains("transfer-encoding"), out);
    assertTrue(out.endsWith("\r\n\r\nhello"), out);
  }

  @Test
  void aBodyUntilTheOriginClosesIsChunkedAndTheClientKeepsItsConnection() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.send("GET /until-close HTTP/1.1\r\nHost: a\r\n\r\n");
      String first = c.readResponses(1);
      assertTrue(first.contains("transfer-encoding: chunked"), first);
      c.send("GET /length HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
      String rest = c.readUntilClose();
      assertTrue((first + rest).contains("3\r\nbye\r\n0\r\n\r\n"), first + rest);
      assertTrue(rest.endsWith("\r\n\r\nhello"), rest);
    }
  }

  @Test
  void headGetsTheLengthButNoBodyAndTheConnectionGoesOn() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.send("HEAD /head HTTP/1.1\r\nHost: a\r\n\r\n");
      c.send("GET /length HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
      String out = c.readUntilClose();
      assertTrue(out.startsWith("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200"), out);
      assertTrue(out.endsWith("\r\n\r\nhello"), out);
    }
  }

  @Test
  void interimResponsesAndHopByHopFieldsStayBehind() throws Exception {
    String early = get("/early", "HTTP/1.1");
    assertTrue(early.startsWith("HTTP/1.1 200 OK\r\n") && early.endsWith("ok"), early);
    assertFalse(early.contains("103"), early);
    String hop = get("/hop", "HTTP/1.1");
    assertTrue(hop.contains("\r\nX-End: 1\r\n"), hop);
    assertFalse(hop.contains("X-Hop") || hop.contains("Keep-Alive"), hop);
  }

  @Test
  void anObsFoldedHeadIs502() throws Exception {
    assertTrue(get("/fold", "HTTP/1.1").startsWith("HTTP/1.1 502"));
  }
}
