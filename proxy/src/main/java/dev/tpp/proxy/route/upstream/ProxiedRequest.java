package dev.tpp.proxy.route.upstream;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Set;

/**
 * Builds the request head sent to the origin from the client's: always HTTP/1.1, same method and
 * target, end-to-end headers only, {@code Host} as the client sent it, the {@code X-Forwarded-*}
 * trio added, and framing of our own (a body of unknown length goes chunked). Pure: the client's
 * head is only read, never changed; any thread.
 */
final class ProxiedRequest {
  static final CharSequence X_FORWARDED_FOR = "x-forwarded-for";
  static final CharSequence X_FORWARDED_PROTO = "x-forwarded-proto";
  static final CharSequence X_FORWARDED_HOST = "x-forwarded-host";
  private static final AsciiString HTTPS = AsciiString.cached("https");
  private static final AsciiString HTTP = AsciiString.cached("http");

  /**
   * The copy is not validated again: the client's headers passed the decoder's validation, and what
   * is added here is an address, a scheme, the client's own Host, or a number.
   */
  private static final DefaultHttpHeadersFactory COPIES =
      DefaultHttpHeadersFactory.headersFactory().withValidation(false);

  private static final Set<HttpMethod> IDEMPOTENT =
      Set.of(
          HttpMethod.GET,
          HttpMethod.HEAD,
          HttpMethod.OPTIONS,
          HttpMethod.TRACE,
          HttpMethod.PUT,
          HttpMethod.DELETE);

  private ProxiedRequest() {}

  /**
   * The head for the origin; {@code https}: the client connection is TLS ({@code
   * X-Forwarded-Proto}). {@code bodyLength} is {@link dev.tpp.proxy.http.RequestBody#length()} (-1
   * = unknown); {@code keepAlive} false asks the origin to close after its response (no pooling
   * configured).
   */
  static HttpRequest head(
      HttpRequest client,
      InetSocketAddress remote,
      boolean https,
      long bodyLength,
      boolean keepAlive) {
    HttpHeaders headers = COPIES.newHeaders().set(client.headers());
    HopByHopHeaders.strip(headers);
    // The proxy answered (or ignored) Expect itself; the origin gets the body without waiting for a
    // 100.
    headers.remove(HttpHeaderNames.EXPECT);
    String ip =
        remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    String prior =
        headers.contains(X_FORWARDED_FOR) ? String.join(", ", headers.getAll(X_FORWARDED_FOR)) : "";
    headers.set(X_FORWARDED_FOR, prior.isEmpty() ? ip : prior + ", " + ip);
    headers.set(X_FORWARDED_PROTO, https ? HTTPS : HTTP);
    String host = client.headers().get(HttpHeaderNames.HOST);
    if (host != null) {
      headers.set(X_FORWARDED_HOST, host);
    } else {
      headers.remove(X_FORWARDED_HOST);
    }
    if (bodyLength < 0) {
      headers.remove(HttpHeaderNames.CONTENT_LENGTH);
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    } else if (bodyLength > 0 || headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      headers.set(HttpHeaderNames.CONTENT_LENGTH, bodyLength);
    }
    if (!keepAlive) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, client.method(), client.uri(), headers);
  }

  /**
   * An HTTP/1.0 request may come without {@code Host}, but the origin is spoken to in HTTP/1.1,
   * which requires one: it gets the origin's own {@code host:port}, as nginx's default {@code
   * $proxy_host}.
   */
  static void defaultHost(HttpRequest head, SocketAddress origin) {
    if (!head.headers().contains(HttpHeaderNames.HOST)
        && origin instanceof InetSocketAddress address) {
      String host = address.getHostString();
      head.headers()
          .set(
              HttpHeaderNames.HOST,
              (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort());
    }
  }

  /**
   * May this request be sent again on another connection when a pooled one was stale (nginx,
   * Envoy)?
   */
  static boolean retryable(HttpRequest client, long bodyLength) {
    return bodyLength == 0 && IDEMPOTENT.contains(client.method());
  }
}
