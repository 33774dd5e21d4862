package dev.tpp.proxy.route.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.testing.Await;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that leaves while its response is still coming: the origin connection is kept when the
 * rest of the response is short, and closed when it is long, late, or the request never reached the
 * origin whole. Each test leaves only once the proxy has seen its client go (its connections
 * gauge), then lets the origin answer, so the drain, not a failed write, is what handles the rest.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ResponseDrainIT extends UpstreamITSupport {
  private CountDownLatch gate;

  @BeforeEach
  void start() throws Exception {
    start(8, Duration.ofSeconds(10));
    gate = new CountDownLatch(1);
    origin.answerGate = gate;
  }

  /**
   * Sends {@code request}, waits for the origin to have it, leaves, and waits for the proxy to see
   * it.
   */
  private void leaveAfterSending(String request) throws Exception {
    try (RawClient raw = new RawClient(proxy.port())) {
      raw.send(request);
      assertNotNull(origin.seen.poll(5, TimeUnit.SECONDS), "the origin got the request");
    }
    awaitClientGone();
  }

  private void awaitClientGone() throws Exception {
    Await.until(
        "the proxy saw its client leave",
        () -> proxy.metrics().value("tpp_connections_active") == 0);
  }

  private void assertKeptAndReused() throws Exception {
    Await.until("the drained connection is parked", () -> proxy.idlePerLoop().equals(List.of(1)));
    assertEquals(200, get("/echo").statusCode());
    assertEquals(1, origin.connections.get(), "the next request went over the same connection");
    assertTrue(origin.closedConnections.isEmpty(), "no origin connection closed");
  }

  private void assertClosed() throws Exception {
    assertNotNull(
        origin.closedConnections.poll(5, TimeUnit.SECONDS), "the origin connection was closed");
    assertEquals(List.of(0), proxy.idlePerLoop(), "nothing parked");
  }

  @Test
  void keepsTheConnectionWhenTheClientLeftBeforeAShortResponse() throws Exception {
    leaveAfterSending("GET /gated?bytes=100 HTTP/1.1\r\nHost: x\r\n\r\n");
    gate.countDown();
    assertKeptAndReused();
  }

  @Test
  void keepsTheConnectionWhenAShortBodyOfUnknownLengthIsLeft() throws Exception {
    leaveAfterSending("GET /gated?bytes=1000&chunked HTTP/1.1\r\nHost: x\r\n\r\n");
    gate.countDown();
    assertKeptAndReused();
  }

  @Test
  void keepsTheConnectionWhenTheClientLeftMidBodyWithLittleLeft() throws Exception {
    try (RawClient raw = new RawClient(proxy.port())) {
      raw.send("GET /gated?bytes=20000&split HTTP/1.1\r\nHost: x\r\n\r\n");
      InputStream in = raw.input();
      assertTrue(in.readNBytes(12).length == 12, "the response started");
    }
    awaitClientGone();
    gate.countDown();
    assertKeptAndReused();
  }

  @Test
  void closesTheConnectionWhenALongBodyIsLeft() throws Exception {
    leaveAfterSending(
        "GET /gated?bytes=" + (ResponseDrain.MAX_BODY_BYTES + 1) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    gate.countDown();
    assertClosed();
  }

  @Test
  void closesTheConnectionWhenALongBodyOfUnknownLengthIsLeft() throws Exception {
    leaveAfterSending(
        "GET /gated?bytes="
            + (2 * ResponseDrain.MAX_BODY_BYTES)
            + "&chunked HTTP/1.1\r\nHost: x\r\n\r\n");
    gate.countDown();
    assertClosed();
  }

  @Test
  void closesTheConnectionWhenTheResponseDoesNotCome() throws Exception {
    leaveAfterSending("GET /hang HTTP/1.1\r\nHost: x\r\n\r\n");
    assertClosed();
  }

  @Test
  void closesTheConnectionWhenTheRequestBodyWasNotSentWhole() throws Exception {
    try (RawClient raw = new RawClient(proxy.port())) {
      raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0123456789");
      assertTrue(origin.firstUploadBytes.await(5, TimeUnit.SECONDS), "the body started");
    }
    assertClosed();
  }
}
