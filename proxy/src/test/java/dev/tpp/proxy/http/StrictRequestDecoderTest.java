package dev.tpp.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.ConfigDefaults;
import dev.tpp.config.HttpLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the decoder makes of raw bytes: the head, the body it frames, or the status of its refusal.
 */
class StrictRequestDecoderTest {

  /** The outcome of decoding {@code raw}: "ok <body>" or the refusal's status and message. */
  static String decode(String raw) {
    return decode(raw, ConfigDefaults.HTTP, raw.length());
  }

  /** The outcome of decoding {@code raw} under {@code limits}, sent in pieces of {@code piece}. */
  static String decode(String raw, HttpLimits limits, int piece) {
    EmbeddedChannel ch = new EmbeddedChannel(new StrictRequestDecoder(limits));
    for (int at = 0; at < raw.length(); at += piece) {
      ch.writeInbound(
          Unpooled.copiedBuffer(
              raw.substring(at, Math.min(raw.length(), at + piece)), StandardCharsets.ISO_8859_1));
    }
    StringBuilder body = new StringBuilder();
    String outcome = null;
    for (Object msg; (msg = ch.readInbound()) != null; ) {
      HttpObject o = (HttpObject) msg;
      if (o.decoderResult().isFailure() && outcome == null) {
        Throwable cause = o.decoderResult().cause();
        outcome =
            (cause instanceof RequestRejectedException r ? r.status() : 0)
                + " "
                + cause.getMessage();
      } else if (o instanceof HttpContent c && outcome == null) {
        body.append(c.content().toString(StandardCharsets.ISO_8859_1));
        if (c instanceof LastHttpContent) {
          outcome = "ok " + body;
        }
      }
      io.netty.util.ReferenceCountUtil.release(msg);
    }
    ch.finishAndReleaseAll();
    return outcome == null ? "incomplete" : outcome;
  }

  private static String post(String framing) {
    return "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + framing;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "negative size        | -5\\r\\nhello\\r\\n0\\r\\n\\r\\n",
        "0x prefix            | 0x5\\r\\nhello\\r\\n0\\r\\n\\r\\n",
        "overflow             | ffffffffffffffffff1\\r\\nhello\\r\\n0\\r\\n\\r\\n",
        "trailing space       | 5 \\r\\nhello\\r\\n0\\r\\n\\r\\n",
        "leading space        | ' 5\\r\\nhello\\r\\n0\\r\\n\\r\\n'",
        "LF-only size line    | 5\\nhello\\r\\n0\\r\\n\\r\\n",
        "LF-only after data   | 5\\r\\nhello\\n0\\r\\n\\r\\n",
        "data longer than size| 5\\r\\nhelloXX0\\r\\n\\r\\n",
        "empty size           | \\r\\nhello\\r\\n0\\r\\n\\r\\n",
        "NUL in extension     | 5;a\\u0000b\\r\\nhello\\r\\n0\\r\\n\\r\\n",
        "bare CR in size line | 5\\r;x\\r\\nhello\\r\\n0\\r\\n\\r\\n",
        "trailer obs-fold     | 5\\r\\nhello\\r\\n0\\r\\nX: a\\r\\n b\\r\\n\\r\\n",
        "trailer without colon| 5\\r\\nhello\\r\\n0\\r\\nbad\\r\\n\\r\\n",
      })
  void refusesMalformedChunks(String name, String framing) {
    String outcome = decode(post(unescape(framing)));
    assertTrue(outcome.startsWith("400 "), name + ": " + outcome);
  }

  @Test
  void refusesAHugeChunkExtension() {
    assertTrue(
        decode(post("5;" + "x".repeat(20_000) + "\r\nhello\r\n0\r\n\r\n")).startsWith("400 "));
  }

  @Test
  void framesWellFormedChunksWithExtensionsAndTrailers() {
    assertEquals(
        "ok hello world",
        decode(post("5;name=\"v\"\r\nhello\r\n6 ; x\r\n world\r\n0\r\nX-T: 1\r\n\r\n")));
    assertEquals("ok abc", decode("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"));
    assertEquals("ok ", decode("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
  }

  @Test
  void keepsTheNextRequestAfterAChunkedBody() {
    List<HttpRequest> requests =
        requests(post("3\r\nabc\r\n0\r\n\r\n") + "GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
    assertEquals("chunked", requests.get(0).headers().get("transfer-encoding"));
    assertEquals("/next", requests.get(1).uri());
    assertFalse(requests.get(1).decoderResult().isFailure());
  }

  /** The request heads decoded from {@code raw} (their bodies released). */
  private static List<HttpRequest> requests(String raw) {
    EmbeddedChannel ch = new EmbeddedChannel(new StrictRequestDecoder(ConfigDefaults.HTTP));
    ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
    ByteBuf more =
        Unpooled.copiedBuffer(
            "GET /after HTTP/1.1\r\nHost: a\r\n\r\n", StandardCharsets.ISO_8859_1);
    ch.writeInbound(more); // after a refusal, dropped; otherwise one more request
    List<HttpRequest> heads = new ArrayList<>();
    for (Object msg; (msg = ch.readInbound()) != null; ) {
      if (msg instanceof HttpRequest r) {
        heads.add(r);
      }
      io.netty.util.ReferenceCountUtil.release(msg);
    }
    ch.finishAndReleaseAll();
    return heads;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GET / HTTP/1.1\\r\\n\\r\\n                                   | 400 HTTP/1.1 request without a Host header",
        "GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n         | 400 more than one Host header",
        "GET / HTTP/1.1\\r\\nHost: a b\\r\\n\\r\\n                    | 400 invalid Host \"a b\"",
        "GET / HTTP/1.1\\r\\nHost: a/b\\r\\n\\r\\n                    | 400 invalid Host \"a/b\"",
        "GET / HTTP/1.1\\r\\nHost: \\r\\n\\r\\n                       | 400 invalid Host \"\"",
        "GET / HTTP/2.0\\r\\nHost: a\\r\\n\\r\\n                      | 505 HTTP/2.0 is not served on an HTTP/1 connection",
        "GET / HTTP/9.9\\r\\nHost: a\\r\\n\\r\\n                      | 505 HTTP/9.9 is not served on an HTTP/1 connection",
        "GET / HTTP/0.9\\r\\nHost: a\\r\\n\\r\\n                      | 400 HTTP/0.x is not served",
        "GET / http/1.1\\r\\nHost: a\\r\\n\\r\\n                      | 400 HTTP-version is not HTTP/DIGIT.DIGIT",
        "GET / HTTP/1.10\\r\\nHost: a\\r\\n\\r\\n                     | 400 HTTP-version is not HTTP/DIGIT.DIGIT",
        "get / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n                      | 400 invalid character 0x67 in the method (methods are case-sensitive)",
        "GET\\t/ HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n                     | 400 invalid character 0x09 in the method",
        "GET /\\tHTTP/1.1\\r\\nHost: a\\r\\n\\r\\n                     | 400 invalid character 0x09 in the request-target",
        "GET  / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n                     | 400 request line is not: method SP request-target SP HTTP-version",
        "GET /a\\u0000b HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n              | 400 invalid character 0x00 in the request-target",
        "GET / HTTP/1.1\\nHost: a\\r\\n\\r\\n                         | 400 request line does not end with CRLF",
        "POST / HTTP/1.0\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n   | 400 Transfer-Encoding in an HTTP/1.0 request",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n | 501 transfer coding \"gzip, chunked\" is not supported",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked, gzip\\r\\n\\r\\n | 400 Transfer-Encoding \"chunked, gzip\" does not end with a single chunked",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked, chunked\\r\\n\\r\\n | 400 Transfer-Encoding \"chunked, chunked\" does not end with a single chunked",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: x\\r\\n\\r\\n | 400 Transfer-Encoding \"chunked, x\" does not end with a single chunked",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Type: a/b\\r\\nContent-Type: c/d\\r\\n\\r\\n | 400 more than one Content-Type header",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Type: multipart/form-data; boundary=a; boundary=b\\r\\n\\r\\n | 400 multipart Content-Type with more than one boundary",
        "GET / HTTP/1.1\\r\\nHost: a\\nX: b\\r\\n\\r\\n                | 400 a header line does not end with CRLF",
        "GET / HTTP/1.1\\r\\nHost : a\\r\\n\\r\\n                     | 400 whitespace between a header field's name and its colon",
        "GET / HTTP/1.1\\r\\nHost: a\\r\\n: b\\r\\n\\r\\n                | 400 a header field has an empty name",
        "GET / HTTP/1.1\\r\\nHost: a\\r\\nX@: b\\r\\n\\r\\n              | 400 invalid character 0x40 in a header field name",
        "GET / HTTP/1.1\\r\\nHost: a\\r\\nNo-colon\\r\\n\\r\\n           | 400 a header line has no colon",
        "GET / HTTP/1.1\\r\\nHost: a\\r\\nX: a\\u0000b\\r\\n\\r\\n          | 400 invalid character 0x00 in a header field value",
        "GET / HTTP/1.1\\r\\nHost: a\\r\\nX: a\\rb\\r\\n\\r\\n              | 400 invalid character 0x0d in a header field value",
        "GET / HTTP/1.1\\r\\n Host: a\\r\\n\\r\\n                     | 400 a header line starts with whitespace",
        "GET / HTTP/1.1\\r\\nHost: a\\r\\nX:\\r\\n b\\r\\n\\r\\n           | 400 obsolete line folding continues an empty value",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 5, 5\\r\\n\\r\\nhello | 400 more than one Content-Length value",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 5\\r\\ncontent-length: 5\\r\\n\\r\\nhello | 400 more than one Content-Length value",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: +5\\r\\n\\r\\nhello | 400 Content-Length \"+5\" is not a number of at most 18 digits",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 1234567890123456789\\r\\n\\r\\n | 400 Content-Length \"1234567890123456789\" is not a number of at most 18 digits",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: \\r\\n\\r\\n     | 400 Content-Length \"\" is not a number of at most 18 digits",
      })
  void refusesMalformedHeads(String raw, String expected) {
    assertEquals(expected, decode(unescape(raw)));
  }

  @Test
  void acceptsHttp10WithoutHostAndEmptyLinesBeforeTheRequestLine() {
    assertEquals("ok ", decode("GET / HTTP/1.0\r\n\r\n"));
    assertEquals("ok ", decode("\r\n\r\nGET / HTTP/1.1\r\nHost: a:8080\r\n\r\n"));
    assertEquals("ok ", decode("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n"));
  }

  @Test
  void dropsEverythingAfterARefusal() {
    List<HttpRequest> requests =
        requests(post("zz\r\n") + "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n");
    assertEquals(1, requests.size(), "only the refused request, nothing after it: " + requests);
    assertTrue(requests.get(0).decoderResult().isFailure() || requests.get(0).uri().equals("/"));
  }

  private static final HttpLimits SMALL = new HttpLimits(Duration.ofSeconds(10), 32, 64);

  @ParameterizedTest(name = "in pieces of {0}")
  @CsvSource({"1", "2", "7", "1000"})
  void measuresTheRequestLineAndTheFieldsAgainstTheirLimitsHoweverTheyArrive(int piece) {
    String line32 = "GET /" + "a".repeat(18) + " HTTP/1.1\r\n"; // 32 bytes without its CRLF
    String fields64 = "Host: a\r\nX: " + "b".repeat(54) + "\r\n"; // 7 + 57 bytes
    assertEquals("ok ", decode(line32 + fields64 + "\r\n", SMALL, piece));
    String line33 = "GET /" + "a".repeat(19) + " HTTP/1.1\r\n";
    assertEquals(
        "414 request line longer than 32 bytes", decode(line33 + "Host: a\r\n\r\n", SMALL, piece));
    assertEquals(
        "414 request line longer than 32 bytes",
        decode("GET /" + "a".repeat(100), SMALL, piece),
        "an overlong line is refused before it ends");
    String fields65 = "Host: a\r\nX: " + "b".repeat(55) + "\r\n";
    assertEquals(
        "431 header fields larger than 64 bytes", decode(line32 + fields65 + "\r\n", SMALL, piece));
    assertEquals(
        "431 header fields larger than 64 bytes",
        decode(line32 + "Host: a\r\nX: " + "b".repeat(200), SMALL, piece));
    assertEquals(
        "400 more than 32 bytes of empty lines before a request line",
        decode("\r\n".repeat(17) + line32 + "Host: a\r\n\r\n", SMALL, piece));
    assertEquals("ok ", decode("\r\n".repeat(16) + line32 + "Host: a\r\n\r\n", SMALL, piece));
  }

  @Test
  void readsFieldsAsSentJoiningFoldedLines() {
    List<HttpRequest> requests =
        requests(
            "POST /p?q HTTP/1.1\r\nHOST: a\r\ncontent-length: 3\r\nX-A:  a\r\n \t b \r\n"
                + "X-B:\t1 \t 2\t\r\nUser-Agent: u\r\n\r\nabc");
    HttpRequest r = requests.get(0);
    assertEquals("POST", r.method().name());
    assertEquals("/p?q", r.uri());
    List<String> fields = new ArrayList<>();
    r.headers().forEach(e -> fields.add(e.getKey() + "=" + e.getValue()));
    assertEquals(
        List.of("HOST=a", "content-length=3", "X-A=a b", "X-B=1 \t 2", "User-Agent=u"), fields);
    assertEquals("/after", requests.get(1).uri(), "the body of 3 bytes was framed");
    assertEquals("ok abc", decode("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 003\r\n\r\nabc"));
  }

  static String unescape(String s) {
    return s.replace("\\r", "\r")
        .replace("\\n", "\n")
        .replace("\\t", "\t")
        .replace("\\u0000", "\u0000");
  }
}
