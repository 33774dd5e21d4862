package dev.tpp.proxy.route.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ProxiedRequestTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 40000);

  private static HttpRequest client(HttpVersion version, HttpMethod method) {
    HttpRequest r = new DefaultHttpRequest(version, method, "/a?b=c");
    r.headers().set("Host", "shop.example:8080");
    return r;
  }

  @Test
  void speaksHttp11KeepsTargetAndHostAndAddsForwardedHeaders() {
    HttpRequest head =
        ProxiedRequest.head(client(HttpVersion.HTTP_1_0, HttpMethod.GET), CLIENT, false, 0, true);
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
    HttpRequest head = ProxiedRequest.head(client, CLIENT, false, 0, true);
    assertEquals("10.0.0.1, 10.0.0.2, 10.0.0.3, 192.0.2.7", head.headers().get("X-Forwarded-For"));
    assertEquals(1, head.headers().getAll("X-Forwarded-For").size());
  }

  @Test
  void bodyOfUnknownLengthGoesChunked() {
    HttpRequest client = client(HttpVersion.HTTP_1_1, HttpMethod.POST);
    client.headers().set("Transfer-Encoding", "chunked");
    HttpRequest head = ProxiedRequest.head(client, CLIENT, false, -1, true);
    assertEquals("chunked", head.headers().get("Transfer-Encoding"));
    assertNull(head.headers().get("Content-Length"));
  }

  @Test
  void knownLengthIsKeptAndExpectIsDropped() {
    HttpRequest client = client(HttpVersion.HTTP_1_1, HttpMethod.PUT);
    client.headers().set("Content-Length", "12").set("Expect", "100-continue");
    HttpRequest head = ProxiedRequest.head(client, CLIENT, false, 12, true);
    assertEquals("12", head.headers().get("Content-Length"));
    assertNull(head.headers().get("Expect"));
  }

  @Test
  void asksTheOriginToCloseWhenNothingIsPooled() {
    HttpRequest head =
        ProxiedRequest.head(client(HttpVersion.HTTP_1_1, HttpMethod.GET), CLIENT, false, 0, false);
    assertEquals("close", head.headers().get("Connection"));
  }

  @Test
  void retriesOnlyIdempotentRequestsWithoutBody() {
    assertTrue(ProxiedRequest.retryable(client(HttpVersion.HTTP_1_1, HttpMethod.GET), 0));
    assertTrue(ProxiedRequest.retryable(client(HttpVersion.HTTP_1_1, HttpMethod.DELETE), 0));
    assertFalse(ProxiedRequest.retryable(client(HttpVersion.HTTP_1_1, HttpMethod.PUT), 12));
    assertFalse(ProxiedRequest.retryable(client(HttpVersion.HTTP_1_1, HttpMethod.POST), 0));
    assertFalse(ProxiedRequest.retryable(client(HttpVersion.HTTP_1_1, HttpMethod.PATCH), 0));
  }
}
