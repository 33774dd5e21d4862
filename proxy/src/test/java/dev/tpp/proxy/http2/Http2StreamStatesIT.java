package dev.tpp.proxy.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.http2.RawH2Client.Frame;
import dev.tpp.proxy.testing.RawClient;
import dev.tpp.proxy.testing.TestProxy;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Frames on streams that are no longer open, sent the way h2spec sends them: the RFC 9113 §5.1
 * answer every time, whether the frame arrives before or after the stream's response went out. Raw
 * frames over h2c.
 */
class Http2StreamStatesIT {
  static final int PROTOCOL_ERROR = 1;
  static final int FLOW_CONTROL_ERROR = 3;
  static final int STREAM_CLOSED = 5;

  @Test
  void headersOnAClosedStreamEndTheConnectionWithStreamClosed() throws Exception {
    try (TestProxy proxy = TestProxy.start(Http2IT.config(""));
        RawH2Client h2 = new RawH2Client(proxy.port(), -1)) {
      h2.request(1, "GET", "/hello", true);
      assertNotNull(h2.await(RawH2Client.DATA, 1), "the response ends the stream");
      h2.request(1, "GET", "/hello", true);
      Frame goAway = h2.await(RawH2Client.GOAWAY, -1);
      assertNotNull(goAway, "GOAWAY, not a RST_STREAM of a stream long gone");
      assertEquals(STREAM_CLOSED, goAway.errorCode());
      assertEquals(
          1,
          proxy
              .metrics()
              .value("tpp_http2_goaways_total", "error", "stream_closed", "reason", "protocol"));
    }
  }

  @Test
  void aSecondHeaderBlockOnAClosedStreamIsAProtocolError() throws Exception {
    try (TestProxy proxy = TestProxy.start(Http2IT.config(""));
        RawH2Client h2 = new RawH2Client(proxy.port(), -1)) {
      h2.request(1, "GET", "/hello", true);
      assertNotNull(h2.await(RawH2Client.DATA, 1));
      h2.request(1, "GET", "/hello", false);
      assertEquals(PROTOCOL_ERROR, h2.await(RawH2Client.GOAWAY, -1).errorCode());
    }
  }

  @Test
  void aStreamIdBelowOneAlreadyOpenedIsAProtocolError() throws Exception {
    try (TestProxy proxy = TestProxy.start(Http2IT.config(""));
        RawH2Client h2 = new RawH2Client(proxy.port(), -1)) {
      h2.request(5, "GET", "/hello", true).request(3, "GET", "/hello", true);
      assertEquals(PROTOCOL_ERROR, h2.await(RawH2Client.GOAWAY, -1).errorCode());
    }
  }

  @Test
  void headersOnAHalfClosedStreamResetItWithStreamClosed() throws Exception {
    try (TestProxy proxy = TestProxy.start(Http2IT.config(""));
        RawH2Client h2 = new RawH2Client(proxy.port(), -1)) {
      h2.request(1, "GET", "/hello", true).request(1, "GET", "/hello", true);
      Frame reset = h2.await(RawH2Client.RST_STREAM, 1);
      assertNotNull(reset);
      assertEquals(STREAM_CLOSED, reset.errorCode());
      h2.request(3, "GET", "/hello", true);
      assertNotNull(h2.await(RawH2Client.DATA, 3), "a stream error: the connection goes on");
    }
  }

  @Test
  void framesAfterAnEarlyResponseAreStillJudged() throws Exception {
    try (TestProxy proxy =
            TestProxy.start(
                """
            listen: {address: 127.0.0.1, port: 0, http2: true}
            routes: [{path: /, return: {status: 200, body: "early"}}]
            """);
        RawH2Client h2 = new RawH2Client(proxy.port(), -1)) {
      h2.request(1, "POST", "/hello", false); // a body announced, never read by the return route
      assertNotNull(h2.await(RawH2Client.DATA, 1), "answered before the body");
      byte[] max = {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
      h2.frame(RawH2Client.WINDOW_UPDATE, 0, 1, max).frame(RawH2Client.WINDOW_UPDATE, 0, 1, max);
      Frame reset = h2.await(RawH2Client.RST_STREAM, 1);
      assertNotNull(reset, "the stream lingers while its body may come");
      assertEquals(
          FLOW_CONTROL_ERROR,
          reset.errorCode(),
          "window above 2^31-1 (RFC 9113 §6.9.1), not CANCEL");
    }
  }

  @Test
  void aClientsGoAwayClosesTheConnectionOnceItsStreamsAreDone() throws Exception {
    try (TestProxy proxy = TestProxy.start(Http2IT.config(""));
        RawH2Client h2 = new RawH2Client(proxy.port(), -1)) {
      h2.request(1, "GET", "/hello", true);
      assertNotNull(h2.await(RawH2Client.DATA, 1));
      h2.frame(RawH2Client.GOAWAY, 0, 0, new byte[8]); // last stream 0, NO_ERROR
      Frame goAway = h2.await(RawH2Client.GOAWAY, -1);
      assertNotNull(goAway, "the proxy answers with its own GOAWAY");
      assertEquals(0, goAway.errorCode());
      assertEquals(null, h2.read(), "then closes, instead of waiting for the client to");
    }
  }

  @Test
  void aPlainPortWithH2cClosesAConnectionThatIsNeitherHttp2NorHttp1() throws Exception {
    try (TestProxy proxy = TestProxy.start(Http2IT.config(""));
        Socket socket = new Socket("127.0.0.1", proxy.port())) {
      OutputStream out = socket.getOutputStream();
      out.write("INVALID CONNECTION PREFACE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      socket.setSoTimeout(10_000);
      InputStream in = socket.getInputStream();
      assertEquals(-1, in.read(), "closed without an answer");
      try (RawClient h1 = new RawClient(proxy.port())) {
        String response = h1.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").readResponses(1);
        assertTrue(
            response.startsWith("HTTP/1.1 200"), "HTTP/1.1 is served as before: " + response);
      }
    }
  }
}
