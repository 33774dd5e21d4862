package dev.tpp.proxy.route.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the request head sent to the origin from the client's, as bytes in one pass (no copy of
 * the headers into a new map, no encoder): always HTTP/1.1, same method and target, end-to-end
 * headers only ({@link HopByHopHeaders}, and no {@code Expect}: the proxy answered it), {@code
 * Host} as the client sent it (the origin's {@code host:port} when an HTTP/1.0 client sent none),
 * the {@code X-Forwarded-*} trio replaced by ours, and framing of our own (a body of unknown length
 * goes chunked). The client's head is only read; any thread.
 */
final class ProxiedRequest {
  static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
  static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
  private static final byte[] HTTP_11 = " HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FORWARDED_FOR = bytes(X_FORWARDED_FOR + ": ");
  private static final byte[] FORWARDED_HTTP = bytes(X_FORWARDED_PROTO + ": http\r\n");
  private static final byte[] FORWARDED_HTTPS = bytes(X_FORWARDED_PROTO + ": https\r\n");
  private static final byte[] FORWARDED_HOST = bytes(X_FORWARDED_HOST + ": ");

  /** Replaced by the proxy's own values, or framing the proxy decides. */
  private static final List<AsciiString> REPLACED =
      List.of(
          HttpHeaderNames.EXPECT,
          HttpHeaderNames.CONTENT_LENGTH,
          X_FORWARDED_FOR,
          X_FORWARDED_PROTO,
          X_FORWARDED_HOST);

  private static final Set<HttpMethod> IDEMPOTENT =
      Set.of(
          HttpMethod.GET,
          HttpMethod.HEAD,
          HttpMethod.OPTIONS,
          HttpMethod.TRACE,
          HttpMethod.PUT,
          HttpMethod.DELETE);

  private ProxiedRequest() {}

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The head for {@code origin}; {@code clientIp}: the client's address as text ({@code
   * X-Forwarded-For}); {@code https}: the client connection is TLS ({@code X-Forwarded-Proto}).
   * {@code bodyLength} is {@link dev.tpp.proxy.http.RequestBody#length()} (-1 = unknown: chunked);
   * {@code keepAlive} false asks the origin to close after its response (no pooling configured).
   * The caller owns the buffer.
   */
  static ByteBuf head(
      HttpRequest client,
      String clientIp,
      boolean https,
      long bodyLength,
      boolean keepAlive,
      SocketAddress origin,
      ByteBufAllocator alloc) {
    HttpHeaders headers = client.headers();
    HeadBytes out = HeadBytes.begin();
    out.put(client.method().asciiName()).put(' ').put(client.uri()).put(HTTP_11);
    endToEndFields(headers, out);
    String host = headers.get(HttpHeaderNames.HOST);
    if (host == null && origin instanceof InetSocketAddress address) {
      // HTTP/1.0 may omit Host, HTTP/1.1 to the origin may not: nginx's default $proxy_host.
      String name = address.getHostString();
      out.put(HttpHeaderNames.HOST).colonSpace();
      out.put(name.contains(":") ? "[" + name + "]" : name).put(':').put(address.getPort()).crlf();
    }
    forwarded(headers, clientIp, https, host, out);
    if (bodyLength < 0) {
      line(out, HttpHeaderNames.TRANSFER_ENCODING, "chunked");
    } else if (bodyLength > 0 || headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      out.put(HttpHeaderNames.CONTENT_LENGTH).colonSpace().put(bodyLength).crlf();
    }
    if (!keepAlive) {
      line(out, HttpHeaderNames.CONNECTION, "close");
    }
    return out.crlf().toBuffer(alloc);
  }

  private static void endToEndFields(HttpHeaders headers, HeadBytes out) {
    List<String> named = HopByHopHeaders.namedOptions(headers);
    Iterator<Map.Entry<CharSequence, CharSequence>> fields = headers.iteratorCharSequence();
    while (fields.hasNext()) {
      Map.Entry<CharSequence, CharSequence> field = fields.next();
      CharSequence name = field.getKey();
      if (!HopByHopHeaders.isFixed(name) && !replaced(name) && !isNamed(name, named)) {
        line(out, name, field.getValue());
      }
    }
  }

  private static void forwarded(
      HttpHeaders headers, String ip, boolean https, String host, HeadBytes out) {
    out.put(FORWARDED_FOR);
    if (headers.contains(X_FORWARDED_FOR)) {
      for (String prior : headers.getAll(X_FORWARDED_FOR)) {
        out.put(prior).put(',').put(' ');
      }
    }
    out.put(ip).crlf();
    out.put(https ? FORWARDED_HTTPS : FORWARDED_HTTP);
    if (host != null) {
      out.put(FORWARDED_HOST).put(host).crlf();
    }
  }

  private static boolean replaced(CharSequence name) {
    for (int i = 0; i < REPLACED.size(); i++) { // indexed: no iterator per header per request
      if (REPLACED.get(i).contentEqualsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isNamed(CharSequence name, List<String> named) {
    for (int i = 0; i < named.size(); i++) {
      if (AsciiString.contentEqualsIgnoreCase(named.get(i), name)) {
        return true;
      }
    }
    return false;
  }

  private static void line(HeadBytes out, CharSequence name, CharSequence value) {
    out.put(name).colonSpace().put(value).crlf();
  }

  /**
   * May this request be sent again on another connection when a pooled one was stale (nginx,
   * Envoy)?
   */
  static boolean retryable(HttpRequest client, long bodyLength) {
    return bodyLength == 0 && IDEMPOTENT.contains(client.method());
  }
}
