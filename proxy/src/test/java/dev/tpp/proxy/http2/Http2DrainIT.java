package dev.tpp.proxy.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tpp.config.ConfigLoader;
import dev.tpp.config.tls.OpensslCertificates;
import dev.tpp.proxy.testing.Await;
import dev.tpp.proxy.testing.RawClient;
import dev.tpp.proxy.testing.TestProxy;
import dev.tpp.proxy.tls.TrustingTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection a reload drains before it has said anything: accepted by the old workers, then its
 * client sends the h2c preface or completes a TLS handshake that picks {@code h2} (or sends its
 * first HTTP/1.1 request a moment later). The HTTP/2 connection gets both GOAWAYs and its stream
 * finishes, however long the origin takes within the drain; the HTTP/1.1 one is answered. Before
 * the fix, the HTTP/1.1 drain's 200 ms idle close, armed before the connection turned HTTP/2, went
 * around the HTTP/2 codec: GOAWAY (2^31-1), then the socket closed under the stream in flight.
 */
class Http2DrainIT {
  /** Longer than the old 200 ms grace, shorter than the 1 s between the two GOAWAYs. */
  private static final int ORIGIN_DELAY_MS = 600;

  @TempDir Path dir;
  private HttpServer origin;

  @BeforeEach
  void slowOrigin() throws IOException {
    origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    origin.createContext(
        "/",
        exchange -> {
          try {
            Thread.sleep(ORIGIN_DELAY_MS); // the origin's own pace, not the test's synchronisation
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] body = "slow answer".getBytes(StandardCharsets.US_ASCII);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    origin.setExecutor(null);
    origin.start();
  }

  @AfterEach
  void stopOrigin() {
    origin.stop(0);
  }

  /**
   * {@code tlsThreads}: the key pool's threads; 0 handshakes on the worker loop, in front of the
   * HTTP/1.1 handlers, as a plain connection's first bytes are.
   */
  private String config(int workers, int tlsThreads, String listener) {
    return """
        workers: %d
        pools: [{name: tls, threads: %d, maxQueue: 64, priority: normal}]
        listeners: [%s]
        upstreams: [{name: slow, endpoints: ["127.0.0.1:%d"]}]
        routes: [{path: /, upstream: slow}]
        """
        .formatted(workers, tlsThreads, listener, origin.getAddress().getPort());
  }

  @Test
  void h2cPrefaceAfterTheDrainGetsBothGoAwaysAndItsAnswer() throws Exception {
    String listener = "{name: main, address: 127.0.0.1, port: %d, http2: true}";
    try (TestProxy proxy = TestProxy.start(config(1, 0, listener.formatted(0)), dir, null)) {
      int port = proxy.server().port("main");
      Socket socket = acceptedThenDrained(proxy, new Socket("127.0.0.1", port), 0, listener, port);
      try (RawH2Client h2 = new RawH2Client(socket)) {
        h2.preface(-1).request(1, "GET", "/slow", true);
        assertDrainedWithItsStreamAnswered(h2);
      }
    }
  }

  @Test
  void tlsHandshakeOnTheWorkerAfterTheDrainGetsBothGoAwaysAndItsAnswer() throws Exception {
    tlsHandshakeAfterTheDrain(0);
  }

  @Test
  void tlsHandshakeInTheKeyPoolAfterTheDrainGetsBothGoAwaysAndItsAnswer() throws Exception {
    tlsHandshakeAfterTheDrain(1);
  }

  private void tlsHandshakeAfterTheDrain(int tlsThreads) throws Exception {
    OpensslCertificates.make(dir, "site", "ec", 30, "site.test", "IP:127.0.0.1");
    String listener =
        "{name: main, address: 127.0.0.1, port: %d, http2: true,"
            + " tls: {certificates: [{certFile: site.crt, keyFile: site.key}]}}";
    try (TestProxy proxy =
        TestProxy.start(config(1, tlsThreads, listener.formatted(0)), dir, null)) {
      int port = proxy.server().port("main");
      Socket tcp =
          acceptedThenDrained(proxy, new Socket("127.0.0.1", port), tlsThreads, listener, port);
      SSLSocket tls =
          (SSLSocket)
              TrustingTls.context().getSocketFactory().createSocket(tcp, "site.test", port, true);
      SSLParameters params = tls.getSSLParameters();
      params.setApplicationProtocols(new String[] {"h2"});
      tls.setSSLParameters(params);
      tls.startHandshake();
      assertEquals("h2", tls.getApplicationProtocol());
      try (RawH2Client h2 = new RawH2Client(tls)) {
        h2.preface(-1).request(1, "GET", "/slow", true);
        assertDrainedWithItsStreamAnswered(h2);
      }
    }
  }

  /**
   * HTTP/1.1 too: a client that connected just before the reload and sends its first request a
   * moment later (longer than the 200 ms an idle keepalive connection gets) is answered, with
   * {@code Connection: close}.
   */
  @Test
  void firstRequestSoonAfterTheDrainIsAnswered() throws Exception {
    String listener = "{name: main, address: 127.0.0.1, port: %d}";
    try (TestProxy proxy = TestProxy.start(config(1, 0, listener.formatted(0)), dir, null);
        RawClient client = new RawClient(proxy.server().port("main"))) {
      int port = proxy.server().port("main");
      acceptedThenDrained(proxy, client.socket(), 0, listener, port);
      Thread.sleep(400); // the client's own pace: past the keepalive grace, within headerTimeout
      String response = client.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n").readUntilClose();
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
      assertTrue(response.toLowerCase().contains("connection: close"), response);
      assertTrue(response.endsWith("slow answer"), response);
    }
  }

  /**
   * Waits until the proxy holds {@code socket}'s connection, then reloads to 2 workers: the old
   * generation drains it. Returns the socket, on which nothing was sent yet.
   */
  private Socket acceptedThenDrained(
      TestProxy proxy, Socket socket, int tlsThreads, String listener, int port) throws Exception {
    Await.until(
        "the proxy holds the connection",
        () -> proxy.metrics().value("tpp_connections_active") >= 1);
    proxy
        .server()
        .reload(
            ConfigLoader.parse(
                TestProxy.withEphemeralPorts(config(2, tlsThreads, listener.formatted(port))),
                dir));
    return socket;
  }

  /**
   * Reads to the close: a GOAWAY announcing the drain (last stream 2^31-1), stream 1's answer, a
   * second GOAWAY naming stream 1, then the close.
   */
  private static void assertDrainedWithItsStreamAnswered(RawH2Client h2) throws IOException {
    List<Integer> goAways = new ArrayList<>();
    StringBuilder body = new StringBuilder();
    boolean headers = false;
    boolean ended = false;
    for (RawH2Client.Frame f = h2.read(); f != null; f = h2.read()) {
      if (f.type() == RawH2Client.GOAWAY) {
        assertEquals(Http2IT.NO_ERROR, f.errorCode());
        goAways.add(f.lastStreamId());
      } else if (f.type() == RawH2Client.HEADERS && f.stream() == 1) {
        headers = true;
      } else if (f.type() == RawH2Client.DATA && f.stream() == 1) {
        body.append(new String(f.payload(), StandardCharsets.US_ASCII));
        ended |= (f.flags() & RawH2Client.END_STREAM) != 0;
      }
    }
    assertEquals(List.of(Integer.MAX_VALUE, 1), goAways, "GOAWAYs (last stream ids)");
    assertTrue(headers && ended, "stream 1 answered in full");
    assertEquals("slow answer", body.toString());
  }
}
