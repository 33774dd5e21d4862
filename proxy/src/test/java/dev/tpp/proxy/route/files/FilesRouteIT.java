package dev.tpp.proxy.route.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.testing.Await;
import dev.tpp.proxy.testing.RawClient;
import dev.tpp.proxy.testing.TestProxy;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files route on the real server (epoll or NIO: the sendfile path), spoken to over real
 * sockets.
 */
class FilesRouteIT {
  static final String POOL = "it-files";
  @TempDir static Path tmp;
  static Path root;
  static byte[] data;
  static TestProxy proxy;

  @BeforeAll
  static void start() throws Exception {
    root = Files.createDirectories(tmp.resolve("www"));
    data = new byte[300_000];
    new Random(7).nextBytes(data);
    Files.write(root.resolve("data.bin"), data);
    Files.write(root.resolve("large.bin"), new byte[32 << 20]);
    Files.write(root.resolve("empty.txt"), new byte[0]);
    Files.createDirectories(root.resolve("docs"));
    Files.writeString(root.resolve("docs/index.html"), "<h1>docs</h1>");
    Files.writeString(
        Files.createDirectories(tmp.resolve("private")).resolve("secret.txt"), "secret");
    Files.createSymbolicLink(root.resolve("escape.txt"), tmp.resolve("private/secret.txt"));
    proxy =
        TestProxy.start(
            "workers: 1\n"
                + "pools: [{name: "
                + POOL
                + ", threads: 2, maxQueue: 64, overflow: reject}]\n"
                + "routes:\n"
                + "  - {path: /static/, waf: false, files: {root: \""
                + root
                + "\", pool: "
                + POOL
                + "}}\n");
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
  }

  private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri(path));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return proxy.client().send(request.build(), BodyHandlers.ofByteArray());
  }

  @Test
  void servesExactBytesWithTheLookupDoneInThePool() throws Throwable {
    PoolEvidence.assertRanInPool(
        proxy,
        POOL,
        1,
        () -> {
          HttpResponse<byte[]> r = get("/static/data.bin");
          assertEquals(200, r.statusCode());
          assertArrayEquals(data, r.body());
          assertEquals("300000", r.headers().firstValue("content-length").orElseThrow());
          assertEquals(
              "application/octet-stream", r.headers().firstValue("content-type").orElseThrow());
          assertEquals("bytes", r.headers().firstValue("accept-ranges").orElseThrow());
        });
  }

  @Test
  void answers304ForAnUnchangedFile() throws Exception {
    String lastModified =
        get("/static/data.bin").headers().firstValue("last-modified").orElseThrow();
    HttpResponse<byte[]> r = get("/static/data.bin", "If-Modified-Since", lastModified);
    assertEquals(304, r.statusCode());
    assertEquals(0, r.body().length);
  }

  @Test
  void answers206WithTheRequestedSlice() throws Exception {
    HttpResponse<byte[]> r = get("/static/data.bin", "Range", "bytes=1000-1999");
    assertEquals(206, r.statusCode());
    assertEquals("bytes 1000-1999/300000", r.headers().firstValue("content-range").orElseThrow());
    assertArrayEquals(Arrays.copyOfRange(data, 1000, 2000), r.body());
    byte[] tail = get("/static/data.bin", "Range", "bytes=-100").body();
    assertArrayEquals(Arrays.copyOfRange(data, 299_900, 300_000), tail);
  }

  @Test
  void answers416PastTheEnd() throws Exception {
    HttpResponse<byte[]> r = get("/static/data.bin", "Range", "bytes=300000-");
    assertEquals(416, r.statusCode());
    assertEquals("bytes */300000", r.headers().firstValue("content-range").orElseThrow());
  }

  @Test
  void headHasHeadersOnly() throws Exception {
    HttpResponse<byte[]> r =
        proxy
            .client()
            .send(
                HttpRequest.newBuilder(proxy.uri("/static/data.bin"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .build(),
                BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    assertEquals("300000", r.headers().firstValue("content-length").orElseThrow());
    assertEquals(0, r.body().length);
  }

  @Test
  void servesAnEmptyFile() throws Exception {
    HttpResponse<byte[]> r = get("/static/empty.txt");
    assertEquals(200, r.statusCode());
    assertEquals("0", r.headers().firstValue("content-length").orElseThrow());
    assertEquals(0, r.body().length);
  }

  @Test
  void servesIndexHtmlAndNoListings() throws Exception {
    HttpResponse<byte[]> docs = get("/static/docs/");
    assertEquals(200, docs.statusCode());
    assertEquals(
        "text/html; charset=utf-8", docs.headers().firstValue("content-type").orElseThrow());
    assertEquals(404, get("/static/").statusCode());
    assertEquals(404, get("/static/missing.txt").statusCode());
  }

  /**
   * Dot segments are resolved before routing, so a traversal leaves the files route (404: no route
   * for /private/), an encoded slash is refused (400), and a symlink out of the root is the files
   * route's own 403.
   */
  @Test
  void refusesTraversalSentRaw() throws Exception {
    String[][] cases = {
      {"/static/../private/secret.txt", "404"},
      {"/static/%2e%2e/private/secret.txt", "404"},
      {"/static/..%2fprivate%2fsecret.txt", "400"},
      {"/static/escape.txt", "403"},
      {"/static/docs/%2E%2E/%2E%2E/private/secret.txt", "404"}
    };
    for (String[] each : cases) {
      String target = each[0];
      try (RawClient c = new RawClient(proxy.port())) {
        String out = c.send("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n").readResponses(1);
        assertTrue(out.startsWith("HTTP/1.1 " + each[1]), target + " -> " + out);
        assertTrue(
            !out.contains("secret\n") && !out.endsWith("secret"), target + " leaked: " + out);
      }
    }
  }

  @Test
  void keepsTheConnectionForTheNextRequestAfterAFileBody() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      String req = "GET /static/docs/index.html HTTP/1.1\r\nHost: a\r\n\r\n";
      String out = c.send(req + req).readResponses(2);
      assertEquals(2, out.split("<h1>docs</h1>", -1).length - 1, out);
    }
  }

  /**
   * Pool-answered requests sent in one write: the next request is read while the one before is
   * still in the pool (the dispatcher reads ahead), yet every answer comes in order, and a
   * malformed one after them is answered 400 only after the others.
   */
  @Test
  void answersPipelinedPoolRequestsInOrderAndTheMalformedOneLast() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      String out =
          c.send(
                  "GET /static/docs/index.html HTTP/1.1\r\nHost: a\r\n\r\n"
                      + "POST /static/empty.txt HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
                      + "GET /static/empty.txt HTTP/1.1\r\nHost: a\r\n\r\n"
                      + "GET /static/missing.txt HTTP/1.1\r\nHost: a\r\n\r\n"
                      + "GET /static/docs/index.html HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")
              .readUntilClose();
      String[] statuses =
          java.util.regex.Pattern.compile("HTTP/1\\.1 (\\d{3}) ")
              .matcher(out)
              .results()
              .map(m -> m.group(1))
              .toArray(String[]::new); // a body without a newline runs into the next status line
      assertArrayEquals(new String[] {"200", "405", "200", "404", "400"}, statuses, out);
      assertTrue(out.indexOf("<h1>docs</h1>") < out.indexOf("HTTP/1.1 405"), out);
    }
  }

  @Test
  void closesTheFileWhenTheClientLeavesMidBody() throws Exception {
    Path large = root.resolve("large.bin");
    try (RawClient c = new RawClient(proxy.port())) {
      c.socket().setReceiveBufferSize(4096);
      c.send("GET /static/large.bin HTTP/1.1\r\nHost: a\r\n\r\n");
      InputStream in = c.socket().getInputStream();
      assertTrue(in.read(new byte[4096]) > 0, "the response began");
      Await.until(
          "the file is open while the body is sent", () -> RouteHarness.openInThisProcess(large));
    } // closed with 32 MiB unread
    Await.until(
        "the file is closed after the client left", () -> !RouteHarness.openInThisProcess(large));
  }
}
