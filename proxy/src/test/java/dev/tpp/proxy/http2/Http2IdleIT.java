package dev.tpp.proxy.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.tpp.proxy.http2.RawH2Client.Frame;
import dev.tpp.proxy.testing.TestProxy;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The keepalive {@code idleTimeout} on an h2c connection means what docs/http2.md says: no stream
 * and no traffic for that long ends it with GOAWAY NO_ERROR. A connection in use stays open past
 * it: the HTTP/1.1 timer it started with is gone once the connection turned to HTTP/2.
 */
class Http2IdleIT {
  @Test
  void anActiveConnectionOutlivesTheIdleTimeoutAndAnIdleOneGetsGoAway() throws Exception {
    try (TestProxy proxy = TestProxy.start(Http2IT.config("keepalive: {idleTimeout: 1s}\n"));
        RawH2Client h2 = new RawH2Client(proxy.port(), -1)) {
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3500);
      int stream = 1;
      for (; System.nanoTime() < until; stream += 2) {
        h2.request(stream, "GET", "/hello", true);
        Frame data = h2.await(RawH2Client.DATA, stream);
        assertNotNull(
            data, "stream " + stream + " answered: the connection was closed while in use");
        assertEquals("hello", new String(data.payload(), StandardCharsets.US_ASCII));
        Thread.sleep(200); // traffic well within every idle period
      }
      Frame goAway = h2.await(RawH2Client.GOAWAY, -1);
      assertNotNull(goAway, "an idle HTTP/2 connection ends with GOAWAY, not a bare close");
      assertEquals(Http2IT.NO_ERROR, goAway.errorCode());
      assertEquals(
          1,
          proxy.metrics().value("tpp_http2_goaways_total", "error", "no_error", "reason", "idle"));
    }
  }
}
