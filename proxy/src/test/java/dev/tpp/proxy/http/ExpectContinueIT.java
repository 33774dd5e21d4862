package dev.tpp.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tpp.proxy.testing.RawClient;
import dev.tpp.proxy.testing.TestProxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Expect: 100-continue} through the proxy, over raw sockets: the interim {@code 100
 * Continue} belongs to its own request, so a pipelined request's comes only after the responses to
 * the requests ahead of it (RFC 9110 §10.1.1: a client reads responses in request order).
 */
class ExpectContinueIT {
  private static final int SLOW_MS = 300; // the origin's own pace for /slow

  private HttpServer origin;
  private TestProxy proxy;

  @BeforeEach
  void start() throws Exception {
    origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    origin.createContext(
        "/",
        exchange -> {
          byte[] body;
          if (exchange.getRequestURI().getPath().equals("/slow")) {
            try {
              Thread.sleep(SLOW_MS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            body = "slow answer".getBytes(StandardCharsets.US_ASCII);
          } else {
            body = exchange.getRequestBody().readAllBytes(); // echo
          }
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    origin.start();
    proxy =
        TestProxy.start(
            """
            workers: 1
            upstreams: [{name: origin, endpoints: ["127.0.0.1:%d"]}]
            routes: [{path: /, upstream: origin}]
            """
                .formatted(origin.getAddress().getPort()));
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    origin.stop(0);
  }

  @Test
  void aLoneRequestIsToldToContinueAndItsBodyReachesTheOrigin() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.send("POST /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
      String interim = c.readResponses(1);
      assertTrue(interim.startsWith("HTTP/1.1 100 Continue\r\n"), interim);
      c.send("hello");
      String answer = c.readResponses(1);
      assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
      assertTrue(answer.endsWith("\r\n\r\nhello"), answer);
    }
  }

  @Test
  void aPipelinedRequestIsToldToContinueOnlyAfterTheResponseBeforeIt() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      // Both heads in one write; the second's body waits for its 100 Continue, as curl's would.
      c.send(
          "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n"
              + "POST /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
      String first = c.readResponses(2);
      int slow = first.indexOf("slow answer");
      int interim = first.indexOf("HTTP/1.1 100 Continue\r\n");
      assertTrue(first.startsWith("HTTP/1.1 200 "), "the first response comes first: " + first);
      assertTrue(slow > 0 && interim > slow, "100 Continue after the first response: " + first);
      c.send("hello");
      String answer = c.readResponses(1);
      assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
      assertEquals("hello", answer.substring(answer.indexOf("\r\n\r\n") + 4), answer);
    }
  }
}
