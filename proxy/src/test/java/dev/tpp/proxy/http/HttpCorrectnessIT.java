package dev.tpp.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.testing.RawClient;
import dev.tpp.proxy.testing.TestProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP/1.1 behaviour a client notices, spoken over raw sockets to a real proxy. */
class HttpCorrectnessIT {
  static TestProxy proxy;

  @BeforeAll
  static void start() throws Exception {
    proxy =
        TestProxy.start(
            """
        workers: 2
        keepalive: {idleTimeout: 2s, maxRequestsPerConnection: 3}
        http: {headerTimeout: 500ms, maxRequestLine: 1Ki, maxHeaderSize: 2Ki}
        routes:
          - {path: /hello, return: {status: 200, body: "hello\\n"}}
          - {path: /teapot, return: {status: 418, body: "short and stout\\n"}}
        """);
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
  }

  @Test
  void answersPipelinedRequestsInOrder() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.send("GET /teapot HTTP/1.1\r\nHost: a\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
      String out = c.readResponses(2);
      int teapot = out.indexOf("HTTP/1.1 418");
      int hello = out.indexOf("HTTP/1.1 200");
      assertTrue(teapot >= 0 && hello > teapot, out);
      assertTrue(out.contains("short and stout") && out.contains("hello\n"), out);
    }
  }

  @Test
  void closesAfterMaxRequestsPerConnection() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      String req = "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n";
      c.send(req + req + req);
      String out = c.readUntilClose();
      assertEquals(3, out.split("HTTP/1.1 200", -1).length - 1, out);
      assertEquals(
          1,
          out.split("connection: close", -1).length - 1,
          "only the 3rd response says close: " + out);
    }
  }

  @Test
  void keepsConnectionAliveBetweenRequests() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
      assertTrue(c.readResponses(1).startsWith("HTTP/1.1 200"));
      c.send("GET /teapot HTTP/1.1\r\nHost: a\r\n\r\n");
      assertTrue(c.readResponses(1).startsWith("HTTP/1.1 418"));
    }
  }

  @Test
  void rejectsContentLengthWithTransferEncoding() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.send(
          "POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
              + "0\r\n\r\n");
      String out = c.readUntilClose();
      assertTrue(out.startsWith("HTTP/1.1 400"), out);
    }
  }

  @Test
  void rejectsConflictingContentLengths() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.send(
          "POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde");
      assertTrue(c.readUntilClose().startsWith("HTTP/1.1 400"));
    }
  }

  @Test
  void answers414ToOversizeRequestLine() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.send("GET /hello?" + "a".repeat(2000) + " HTTP/1.1\r\nHost: a\r\n\r\n");
      assertTrue(c.readUntilClose().startsWith("HTTP/1.1 414"));
    }
  }

  @Test
  void answers431ToOversizeHeaders() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.send("GET /hello HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(4000) + "\r\n\r\n");
      assertTrue(c.readUntilClose().startsWith("HTTP/1.1 431"));
    }
  }

  @Test
  void cutsOffClientThatSendsHeadersTooSlowly() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.send("GET /hello HTTP/1.1\r\nHost: a\r\n"); // never finishes the head
      String out = c.readUntilClose();
      assertTrue(out.startsWith("HTTP/1.1 408"), out);
    }
  }

  @Test
  void closesIdleKeepaliveConnection() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
      assertTrue(c.readResponses(1).startsWith("HTTP/1.1 200"));
      assertTrue(c.readUntilClose().isEmpty(), "closed after idleTimeout without a response");
    }
  }

  @Test
  void answers404WhenNoRouteMatches() throws Exception {
    assertEquals(404, proxy.get("/nothing-here").statusCode());
  }

  @Test
  void honoursHttp10KeepAliveRequest() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      String out = c.readResponses(1);
      assertTrue(out.toLowerCase().contains("connection: keep-alive"), out);
      c.send("GET /hello HTTP/1.0\r\n\r\n");
      assertTrue(c.readUntilClose().contains("hello"));
    }
  }
}
