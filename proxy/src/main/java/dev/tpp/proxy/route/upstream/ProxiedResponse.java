package dev.tpp.proxy.route.upstream;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Makes the response head sent to the client out of the origin's: same status, end-to-end headers
 * only, and framing of our own for this hop — a body of unknown length goes chunked to an HTTP/1.1
 * client (the origin's own chunking was hop-by-hop and is gone), or is ended by closing the
 * connection for an HTTP/1.0 one. The origin's head is rewritten in place, not copied (a copy of
 * its headers was a tenth of the bytes allocated per proxied request): the caller reads what it
 * needs of it first. Any thread.
 */
final class ProxiedResponse {
  private ProxiedResponse() {}

  /**
   * {@code origin}, now the head for {@code client}; nothing else may use it as the origin's head
   * after this.
   */
  static HttpResponse head(HttpResponse origin, HttpRequest client) {
    HopByHopHeaders.strip(origin.headers());
    HttpResponse head = origin.setProtocolVersion(HttpVersion.HTTP_1_1);
    if (unknownLength(head, client) && client.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
      HttpUtil.setTransferEncodingChunked(head, true);
    }
    return head;
  }

  /**
   * True when the client can only find the end of {@code head}'s body by the connection closing.
   */
  static boolean endsByClose(HttpResponse head, HttpRequest client) {
    return unknownLength(head, client) && !HttpUtil.isTransferEncodingChunked(head);
  }

  private static boolean unknownLength(HttpResponse head, HttpRequest client) {
    return unknownLength(head.status().code(), HttpUtil.isContentLengthSet(head), client);
  }

  /**
   * True when a response with {@code status} to {@code client} may have a body and, without a
   * {@code Content-Length} ({@code hasLength} false), the client cannot tell where it ends.
   */
  static boolean unknownLength(int status, boolean hasLength, HttpRequest client) {
    boolean mayHaveBody =
        status != 204 && status != 304 && !HttpMethod.HEAD.equals(client.method());
    return mayHaveBody && !hasLength;
  }
}
