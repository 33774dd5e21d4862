package dev.tpp.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.http.BodyListener;
import dev.tpp.proxy.http.HttpExchange;
import dev.tpp.proxy.http.RequestTarget;
import dev.tpp.proxy.route.RouteHandler;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A route handler standing where the upstream would be: it checks that a request the proxy accepted
 * is one an origin can only read one way (what an upstream route would forward), reads its whole
 * body and answers 200. Used by {@link RequestDecodingFuzzTest} on the test channel's loop.
 */
final class OriginView implements RouteHandler {
  private static final Pattern HOST =
      Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._~-]+)(:[0-9]{0,5})?");
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Pattern METHOD =
      Pattern.compile("[A-Z_-]+"); // as documented (and as nginx reads it)

  private AssertionError
      failure; // a thrown Error would end in the pipeline's exceptionCaught, unseen

  /** The first broken expectation since the last call, or null; clears it. */
  AssertionError takeFailure() {
    AssertionError f = failure;
    failure = null;
    return f;
  }

  @Override
  public void handle(HttpExchange exchange) {
    HttpRequest request = exchange.request();
    if (check(() -> checkHead(request))) {
      long declared =
          HttpUtil.isTransferEncodingChunked(request) ? -1 : HttpUtil.getContentLength(request, 0L);
      readBody(exchange, declared, 0);
    } else {
      exchange.sendError(HttpResponseStatus.INTERNAL_SERVER_ERROR, "origin view");
    }
  }

  private boolean check(Runnable expectation) {
    try {
      expectation.run();
      return true;
    } catch (AssertionError e) {
      failure = failure == null ? e : failure;
      return false;
    }
  }

  private static void checkHead(HttpRequest request) {
    assertTrue(METHOD.matcher(request.method().name()).matches(), "method " + request.method());
    assertTrue(
        request.protocolVersion().equals(HttpVersion.HTTP_1_1)
            || request.protocolVersion().equals(HttpVersion.HTTP_1_0),
        "version " + request.protocolVersion());
    String uri = request.uri();
    assertTrue(uri.startsWith("/"), "origin-form target: " + uri);
    assertEquals(
        uri,
        RequestTarget.parse(uri, false).originForm(),
        "the forwarded target is already normalised");
    HttpHeaders headers = request.headers();
    List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
    assertTrue(
        hosts.size() == 1 || hosts.isEmpty() && request.protocolVersion().minorVersion() == 0,
        "one Host: " + hosts);
    hosts.forEach(h -> assertTrue(HOST.matcher(h).matches(), "valid Host " + h));
    assertFalse(
        headers.contains(HttpHeaderNames.CONTENT_LENGTH)
            && headers.contains(HttpHeaderNames.TRANSFER_ENCODING),
        "Content-Length and Transfer-Encoding together");
    assertTrue(headers.getAll(HttpHeaderNames.CONTENT_LENGTH).size() <= 1, "one Content-Length");
    for (Map.Entry<String, String> h : headers) {
      assertTrue(TOKEN.matcher(h.getKey()).matches(), "header name " + h.getKey());
      assertTrue(
          h.getValue().chars().noneMatch(c -> c < 0x20 && c != '\t' || c == 0x7f),
          "header value " + h);
    }
  }

  private void readBody(HttpExchange exchange, long declared, long received) {
    exchange
        .body()
        .read(
            new BodyListener() {
              @Override
              public void onChunk(ByteBuf chunk, boolean last) {
                long total = received + chunk.readableBytes();
                chunk.release();
                if (!last) {
                  readBody(exchange, declared, total);
                  return;
                }
                check(
                    () ->
                        assertTrue(
                            declared < 0 || total == declared,
                            "body of " + total + " bytes for Content-Length " + declared));
                DefaultFullHttpResponse ok =
                    new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                ok.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
                exchange.send(ok);
              }

              @Override
              public void onError(Throwable cause) {
                exchange.abort(cause);
              }
            });
  }
}
