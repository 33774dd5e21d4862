package dev.tpp.proxy.route.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Large bodies go through intact and are streamed, not buffered whole: each test makes one end wait
 * until the other end has seen the first bytes, which only a streaming proxy can satisfy (a
 * buffering one deadlocks into the timeout).
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UpstreamStreamingIT extends UpstreamITSupport {
  private static final int SIZE = 5 * 1024 * 1024;

  @BeforeEach
  void start() throws Exception {
    start(8, Duration.ofSeconds(10));
  }

  @Test
  void streamsA5MiBUploadWithContentLength() throws Exception {
    byte[] data = TestOrigin.bytes(SIZE);
    HttpRequest request =
        HttpRequest.newBuilder(proxy.uri("/echo"))
            .POST(
                BodyPublishers.fromPublisher(
                    new GatedPublisher(data, origin.firstUploadBytes), SIZE))
            .build();
    assertEquals("echo POST " + SIZE, client.send(request, BodyHandlers.ofString()).body());
    TestOrigin.Seen seen = origin.seen.poll(5, TimeUnit.SECONDS);
    assertEquals(String.valueOf(SIZE), seen.headers().get("Content-Length"));
    assertEquals(TestOrigin.sha256(data), seen.sha256());
  }

  @Test
  void streamsA5MiBUploadOfUnknownLengthChunked() throws Exception {
    byte[] data = TestOrigin.bytes(SIZE);
    HttpRequest request =
        HttpRequest.newBuilder(proxy.uri("/echo"))
            .POST(BodyPublishers.fromPublisher(new GatedPublisher(data, origin.firstUploadBytes)))
            .build();
    assertEquals("echo POST " + SIZE, client.send(request, BodyHandlers.ofString()).body());
    TestOrigin.Seen seen = origin.seen.poll(5, TimeUnit.SECONDS);
    assertEquals("chunked", seen.headers().get("Transfer-Encoding"));
    assertEquals(TestOrigin.sha256(data), seen.sha256());
  }

  @Test
  void streamsA5MiBDownload() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    origin.downloadGate =
        gate; // the origin sends 1 MiB, then waits for the client to have some of it
    HttpResponse<InputStream> r =
        client.send(
            HttpRequest.newBuilder(proxy.uri("/download?bytes=" + SIZE))
                .timeout(Duration.ofSeconds(10))
                .build(),
            BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    try (InputStream in = r.body()) {
      byte[] first = in.readNBytes(64 * 1024);
      gate.countDown();
      byte[] rest = in.readAllBytes();
      byte[] all = Arrays.copyOf(first, first.length + rest.length);
      System.arraycopy(rest, 0, all, first.length, rest.length);
      assertEquals(SIZE, all.length);
      assertEquals(TestOrigin.sha256(TestOrigin.bytes(SIZE)), TestOrigin.sha256(all));
    }
    assertTrue(
        r.headers().firstValue("Transfer-Encoding").isPresent(),
        "re-framed chunked for the client");
    assertEquals(1.0, proxy.count("ok"));
  }

  @Test
  void clientLeavingMidRequestClosesTheOriginConnection() throws Exception {
    try (RawClient raw = new RawClient(proxy.port())) {
      raw.send("GET /hang HTTP/1.1\r\nHost: x\r\n\r\n");
      assertNotNull(origin.seen.poll(5, TimeUnit.SECONDS));
    }
    assertNotNull(
        origin.closedConnections.poll(5, TimeUnit.SECONDS), "the origin connection was closed");
  }
}
