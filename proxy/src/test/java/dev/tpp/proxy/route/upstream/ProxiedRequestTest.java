package dev.tpp.proxy.route.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The head the origin gets, read back with Netty's decoder as an origin would. */
class ProxiedRequestTest {
  private static final InetSocketAddress ORIGIN = new InetSocketAddress("127.0.0.1", 8081);

  private static String bytes(
      HttpRequest client, long bodyLength, boolean keepAlive, InetSocketAddress origin) {
    ByteBuf head =
        ProxiedRequest.head(
            client, "192.0.2.7", false, bodyLength, keepAlive, origin, ByteBufAllocator.DEFAULT);
    try {
      return head.toString(StandardCharsets.ISO_8859_1);
    } finally {
      head.release();
    }
  }

  private static HttpRequest head(HttpRequest client, long bodyLength, boolean keepAlive) {
    EmbeddedChannel origin = new EmbeddedChannel(new HttpRequestDecoder());
    origin.writeInbound(
        ByteBufAllocator.DEFAULT
            .buffer()
            .writeBytes(
                bytes(client, bodyLength, keepAlive, ORIGIN)
                    .getBytes(StandardCharsets.ISO_8859_1)));
    HttpRequest request = origin.readInbound();
    ReferenceCountUtil.release(origin.readInbound());
    origin.finishAndReleaseAll();
    assertTrue(request.decoderResult().isSuccess(), request.decoderResult().toString());
    return request;
  }

  private static HttpRequest client(HttpVersion version, HttpMethod method) {
    HttpRequest r = new DefaultHttpRequest(version, method, "/a?b=c");
    r.headers().set("Host", "shop.example:8080");
    return r;
  }

  @Test
  void speaksHttp11KeepsTargetAndHostAndAddsForwardedHeaders() {
    HttpRequest head = head(client(HttpVersion.HTTP_1_0, HttpMethod.GET), 0, true);
    assertEquals(HttpVersion.HTTP_1_1, head.protocolVersion());
    assertEquals("/a?b=c", head.uri());
    assertEquals("shop.example:8080", head.headers().get("Host"));
    assertEquals("192.0.2.7", head.headers().get("X-Forwarded-For"));
    assertEquals("http", head.headers().get("X-Forwarded-Proto"));
    assertEquals("shop.example:8080", head.headers().get("X-Forwarded-Host"));
    assertNull(head.headers().get("Connection"));
    assertNull(head.headers().get("Content-Length"));
  }

  @Test
  void appendsToEveryPriorForwardedForValue() {
    HttpRequest client = client(HttpVersion.HTTP_1_1, HttpMethod.GET);
    client
        .headers()
        .add("X-Forwarded-For", "10.0.0.1, 10.0.0.2")
        .add("X-Forwarded-For", "10.0.0.3");
    HttpRequest head = head(client, 0, true);
    assertEquals("10.0.0.1, 10.0.0.2, 10.0.0.3, 192.0.2.7", head.headers().get("X-Forwarded-For"));
    assertEquals(1, head.headers().getAll("X-Forwarded-For").size());
  }

  @Test
  void bodyOfUnknownLengthGoesChunked() {
    HttpRequest client = client(HttpVersion.HTTP_1_1, HttpMethod.POST);
    client.headers().set("Transfer-Encoding", "chunked");
    HttpRequest head = head(client, -1, true);
    assertEquals("chunked", head.headers().get("Transfer-Encoding"));
    assertNull(head.headers().get("Content-Length"));
  }

  @Test
  void knownLengthIsKeptAndExpectIsDropped() {
    HttpRequest client = client(HttpVersion.HTTP_1_1, HttpMethod.PUT);
    client.headers().set("Content-Length", "12").set("Expect", "100-continue");
    HttpRequest head = head(client, 12, true);
    assertEquals("12", head.headers().get("Content-Length"));
    assertNull(head.headers().get("Expect"));
  }

  @Test
  void asksTheOriginToCloseWhenNothingIsPooled() {
    HttpRequest head = head(client(HttpVersion.HTTP_1_1, HttpMethod.GET), 0, false);
    assertEquals("close", head.headers().get("Connection"));
  }

  @Test
  void hopByHopAndConnectionNamedFieldsStayOnTheClientsHop() {
    HttpRequest client = client(HttpVersion.HTTP_1_1, HttpMethod.GET);
    client
        .headers()
        .add("Connection", "keep-alive, X-Hop, Host")
        .add("X-Hop", "1")
        .add("Keep-Alive", "5")
        .add("TE", "trailers")
        .add("Proxy-Authorization", "Basic eDp5")
        .add("X-Forwarded-Proto", "spoofed")
        .add("X-Keep", "1");
    assertEquals(
        "GET /a?b=c HTTP/1.1\r\nHost: shop.example:8080\r\nX-Keep: 1\r\n"
            + "x-forwarded-for: 192.0.2.7\r\nx-forwarded-proto: http\r\n"
            + "x-forwarded-host: shop.example:8080\r\n\r\n",
        bytes(client, 0, true, ORIGIN));
  }

  @Test
  void anHttp10RequestWithoutHostGetsTheOriginsAddress() {
    HttpRequest client = new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/");
    assertEquals("127.0.0.1:8081", head(client, 0, true).headers().get("Host"));
    assertNull(head(client, 0, true).headers().get("X-Forwarded-Host"));
    InetSocketAddress v6 = new InetSocketAddress("::1", 8081);
    String head = bytes(client, 0, true, v6);
    assertTrue(head.matches("(?s).*\r\nhost: \\[[0-9a-f:]+\\]:8081\r\n.*"), head);
  }

  @Test
  void retriesOnlyIdempotentRequestsWithoutBody() {
    assertTrue(ProxiedRequest.retryable(client(HttpVersion.HTTP_1_1, HttpMethod.GET), 0));
    assertTrue(ProxiedRequest.retryable(client(HttpVersion.HTTP_1_1, HttpMethod.DELETE), 0));
    assertFalse(ProxiedRequest.retryable(client(HttpVersion.HTTP_1_1, HttpMethod.PUT), 12));
    assertFalse(ProxiedRequest.retryable(client(HttpVersion.HTTP_1_1, HttpMethod.POST), 0));
    assertFalse(ProxiedRequest.retryable(client(HttpVersion.HTTP_1_1, HttpMethod.PATCH), 0));
  }

  @Test
  void writesLongHeadsAndLatin1ValuesWholeOneAfterAnother() {
    HttpRequest long1 = client(HttpVersion.HTTP_1_1, HttpMethod.GET);
    long1.headers().set("X-Long", "v".repeat(5000));
    long1.headers().set("X-Latin", "caf\u00e9 \u00ff");
    HttpRequest first = head(long1, 0, true);
    assertEquals("v".repeat(5000), first.headers().get("X-Long"), "grown past the first array");
    assertEquals("caf\u00e9 \u00ff", first.headers().get("X-Latin"), "obs-text as its own byte");
    HttpRequest second = head(client(HttpVersion.HTTP_1_1, HttpMethod.GET), 0, true);
    assertNull(second.headers().get("X-Long"), "nothing of the previous head is left over");
    assertEquals("shop.example:8080", second.headers().get("Host"));
  }
}
