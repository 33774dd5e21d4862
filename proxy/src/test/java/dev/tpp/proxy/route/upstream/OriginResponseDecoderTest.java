package dev.tpp.proxy.route.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The origin's bytes as the relay gets them, whole and in small pieces. */
class OriginResponseDecoderTest {
  private static final String NGINX =
      "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
          + "Connection: keep-alive\r\n\r\nhello";

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 1000})
  void aLengthFramedResponseIsHeadThenBody(int piece) {
    DecodedResponses seen = DecodedResponses.of(NGINX, HttpMethod.GET, piece, false);
    assertEquals(1, seen.heads.size());
    DecodedResponses.Head head = seen.heads.get(0);
    assertEquals(200, head.status());
    assertTrue(head.keepAlive());
    assertEquals(5, head.contentLength());
    assertEquals(
        "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n",
        head.forClient());
    assertEquals("hello", seen.body.toString());
    assertEquals(1, seen.ends);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 1000})
  void aChunkedBodyIsDechunkedAndItsTrailersDropped(int piece) {
    DecodedResponses seen =
        DecodedResponses.of(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 99\r\n\r\n"
                + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n",
            HttpMethod.GET,
            piece,
            false);
    assertEquals(-1, seen.heads.get(0).contentLength());
    assertEquals("HTTP/1.1 200 OK\r\n\r\n", seen.heads.get(0).forClient(), "no TE, no CL");
    assertEquals("hello world", seen.body.toString());
    assertEquals(1, seen.ends);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 4, 1000})
  void keepaliveResponsesOfDifferentLengthsEachEndAtTheirOwnLength(int piece) {
    // One decoder frames a connection's responses one after another (its fixed-length body
    // decoder is set up again for each): no body may run short or long into the next one.
    DecodedResponses seen = new DecodedResponses();
    OriginResponseDecoder decoder = new OriginResponseDecoder();
    EmbeddedChannel ch = new EmbeddedChannel(decoder, seen);
    String[] bodies = {"hello", "abc", "0123456", "z"};
    StringBuilder all = new StringBuilder();
    for (String body : bodies) {
      decoder.expectResponseTo(HttpMethod.GET);
      byte[] bytes =
          ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
              .getBytes(StandardCharsets.ISO_8859_1);
      for (int i = 0; i < bytes.length; i += piece) {
        ch.writeInbound(Unpooled.wrappedBuffer(bytes, i, Math.min(piece, bytes.length - i)));
      }
      all.append(body);
      assertEquals(all.toString(), seen.body.toString(), "after the response with " + body);
    }
    assertEquals(bodies.length, seen.heads.size());
    assertEquals(bodies.length, seen.ends);
    assertNull(seen.failure);
    ch.finishAndReleaseAll();
  }

  @Test
  void aBodyWithoutLengthRunsUntilTheOriginCloses() {
    DecodedResponses open =
        DecodedResponses.of("HTTP/1.1 200 OK\r\n\r\npart", HttpMethod.GET, 3, false);
    assertEquals(0, open.ends);
    assertTrue(!open.heads.get(0).keepAlive(), "the connection cannot be reused");
    DecodedResponses closed =
        DecodedResponses.of("HTTP/1.1 200 OK\r\n\r\npart", HttpMethod.GET, 3, true);
    assertEquals("part", closed.body.toString());
    assertEquals(1, closed.ends);
    assertNull(closed.failure);
  }

  @Test
  void responsesWithoutBodiesEndAtTheirHeads() {
    DecodedResponses head =
        DecodedResponses.of(
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
            HttpMethod.HEAD,
            1000,
            false);
    assertEquals(2, head.heads.size(), "the 5 bytes announced for HEAD never come");
    assertEquals(2, head.ends);
    DecodedResponses notModified =
        DecodedResponses.of("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n");
    assertEquals(1, notModified.ends);
    assertEquals("", notModified.body.toString());
  }

  @Test
  void interimResponsesComeBeforeTheFinalOneWithoutAnEnd() {
    DecodedResponses seen =
        DecodedResponses.of(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + NGINX);
    assertEquals(3, seen.heads.size());
    assertEquals(100, seen.heads.get(0).status());
    assertEquals(200, seen.heads.get(2).status());
    assertEquals(1, seen.ends);
  }

  @Test
  void hopByHopFieldsAndConnectionOptionsStayOnTheOriginsHop() {
    DecodedResponses seen =
        DecodedResponses.of(
            "HTTP/1.0 200 Fine\r\nConnection: keep-alive, X-Hop, Content-Type\r\nX-Hop: 1\r\n"
                + "Keep-Alive: timeout=5\r\nProxy-Authenticate: Basic\r\nContent-Type: a/b\r\n"
                + "X-End : 2 \r\nContent-Length: 0\r\n\r\n");
    DecodedResponses.Head head = seen.heads.get(0);
    assertTrue(head.keepAlive(), "HTTP/1.0 with keep-alive");
    assertEquals(
        "HTTP/1.1 200 Fine\r\nContent-Type: a/b\r\nX-End: 2\r\nContent-Length: 0\r\n\r\n",
        head.forClient());
  }

  @Test
  void everyKeptFieldReachesTheClientAsNameColonSpaceValueInOrder() {
    DecodedResponses seen =
        DecodedResponses.of(
            "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC:3\r\nD: \r\nE:\t5 \r\nKeep-Alive: x\r\n"
                + "F: 6\nG: 7\r\nH: 8\r\nContent-Length: 0\r\n\r\n");
    assertEquals(
        "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: \r\nE: 5\r\nF: 6\r\nG: 7\r\nH: 8\r\n"
            + "Content-Length: 0\r\n\r\n",
        seen.heads.get(0).forClient());
  }

  @Test
  void sameContentLengthsAreOneAndHttp10ClosesByDefault() {
    DecodedResponses seen =
        DecodedResponses.of(
            "HTTP/1.0 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok");
    assertEquals(2, seen.heads.get(0).contentLength());
    assertTrue(!seen.heads.get(0).keepAlive());
    assertEquals("ok", seen.body.toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A: a\u0000b\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A: a\rb\r\n\r\n",
        "HTTP/1.1 200 OK\r\nBad Name: 1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
        "HTTP/2.0 200 OK\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "ICY 200 OK\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      })
  void malformedResponsesFail(String response) {
    DecodedResponses seen = DecodedResponses.of(response);
    assertNotNull(seen.failure, response);
    assertEquals(0, seen.ends);
  }

  @Test
  void anOversizedHeadFailsWithoutWaitingForItsEnd() {
    DecodedResponses seen = DecodedResponses.of("HTTP/1.1 200 OK\r\nX-Big: " + "x".repeat(9000));
    assertNotNull(seen.failure);
    DecodedResponses line = DecodedResponses.of("HTTP/1.1 200 " + "x".repeat(5000));
    assertNotNull(line.failure);
  }

  @Test
  void aLongHeadReadsTheSameWholeOrInPiecesUpToItsLimits() {
    // The parser copies 1 KiB of the head first and more only when the head goes on: fields that
    // cross 1 KiB and 4 KiB, and heads right at the limits (a 4096-byte status line, 8192 bytes of
    // fields with their line ends).
    String fields =
        "X-A: " + "a".repeat(1000) + "\r\nX-B: " + "b".repeat(3000) + "\r\nContent-Length: 2\r\n";
    String padding = "X-Pad: " + "p".repeat(8192 - fields.length() - 9) + "\r\n";
    String atLimit = "HTTP/1.1 200 " + "r".repeat(4096 - 13) + "\r\n" + fields + padding;
    for (int piece : new int[] {Integer.MAX_VALUE, 1023, 1024, 1025, 4097, 7}) {
      DecodedResponses seen = DecodedResponses.of(atLimit + "\r\nok", HttpMethod.GET, piece, false);
      assertNull(seen.failure, "in pieces of " + piece);
      assertEquals(atLimit + "\r\n", seen.heads.get(0).forClient(), "in pieces of " + piece);
      assertEquals("ok", seen.body.toString());
    }
    DecodedResponses line =
        DecodedResponses.of("HTTP/1.1 200 " + "r".repeat(4096 - 12) + "\r\n\r\n");
    assertNotNull(line.failure, "a 4097-byte status line");
    DecodedResponses over =
        DecodedResponses.of("HTTP/1.1 200 OK\r\nX: " + "x".repeat(8192 - 4) + "\r\n\r\n");
    assertNotNull(over.failure, "8193 bytes of fields");
  }

  @Test
  void aCloseInsideTheHeadFailsButInsideALengthBodyYieldsNoEnd() {
    DecodedResponses head = DecodedResponses.of("HTTP/1.1 200 OK\r\nX-A", HttpMethod.GET, 5, true);
    assertNotNull(head.failure);
    DecodedResponses body =
        DecodedResponses.of(
            "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc", HttpMethod.GET, 5, true);
    assertNull(body.failure);
    assertEquals(0, body.ends, "the call sees the close and fails as a reset");
    DecodedResponses idle = DecodedResponses.of("\r\n", HttpMethod.GET, 5, true);
    assertNull(idle.failure, "a stale connection that closes says nothing");
    assertEquals(0, idle.heads.size());
  }
}
