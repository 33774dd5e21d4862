package dev.tpp.proxy.route.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class ProxiedResponseTest {
  private static final HttpRequest GET_11 =
      new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
  private static final HttpRequest GET_10 =
      new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/");
  private static final HttpRequest HEAD_11 =
      new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.HEAD, "/");

  private static HttpResponse origin(HttpResponseStatus status, String... headers) {
    HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_0, status);
    for (int i = 0; i < headers.length; i += 2) {
      r.headers().add(headers[i], headers[i + 1]);
    }
    return r;
  }

  @Test
  void reframesAChunkedOriginBodyForAnHttp11Client() {
    HttpResponse head =
        ProxiedResponse.head(
            origin(
                HttpResponseStatus.OK,
                "Transfer-Encoding",
                "chunked",
                "Connection",
                "keep-alive",
                "Keep-Alive",
                "timeout=5",
                "ETag",
                "\"x\""),
            GET_11);
    assertEquals(HttpVersion.HTTP_1_1, head.protocolVersion());
    assertTrue(HttpUtil.isTransferEncodingChunked(head));
    assertNull(head.headers().get("Connection"));
    assertNull(head.headers().get("Keep-Alive"));
    assertEquals("\"x\"", head.headers().get("ETag"));
    assertFalse(ProxiedResponse.endsByClose(head, GET_11));
  }

  @Test
  void keepsTheOriginsContentLength() {
    HttpResponse head =
        ProxiedResponse.head(origin(HttpResponseStatus.OK, "Content-Length", "42"), GET_11);
    assertEquals("42", head.headers().get("Content-Length"));
    assertFalse(HttpUtil.isTransferEncodingChunked(head));
  }

  @Test
  void bodilessAnswersGetNoFraming() {
    for (HttpResponse head :
        new HttpResponse[] {
          ProxiedResponse.head(origin(HttpResponseStatus.NO_CONTENT), GET_11),
          ProxiedResponse.head(origin(HttpResponseStatus.NOT_MODIFIED), GET_11),
          ProxiedResponse.head(origin(HttpResponseStatus.OK, "Content-Length", "7"), HEAD_11)
        }) {
      assertFalse(HttpUtil.isTransferEncodingChunked(head), head.toString());
      assertFalse(ProxiedResponse.endsByClose(head, HEAD_11), head.toString());
    }
  }

  @Test
  void anHttp10ClientReadsAnUnknownLengthToTheClose() {
    HttpResponse head = ProxiedResponse.head(origin(HttpResponseStatus.OK), GET_10);
    assertFalse(HttpUtil.isTransferEncodingChunked(head));
    assertTrue(ProxiedResponse.endsByClose(head, GET_10));
  }
}
