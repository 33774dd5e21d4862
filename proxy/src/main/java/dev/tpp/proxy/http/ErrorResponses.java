package dev.tpp.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * The one place that turns a problem into an HTTP error response: a short text body naming the
 * status, and the headers a client needs (Retry-After on 503 from a full pool). Called on event
 * loops only.
 */
public final class ErrorResponses {
  private ErrorResponses() {}

  /** A complete error response with {@code detail} (one line, no secrets) as its body. */
  public static FullHttpResponse of(
      ByteBufAllocator alloc, HttpResponseStatus status, @Nullable String detail) {
    String text =
        status.code() + " " + status.reasonPhrase() + (detail == null ? "" : ": " + detail) + "\n";
    ByteBuf body = alloc.buffer(text.length()).writeBytes(text.getBytes(StandardCharsets.UTF_8));
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    if (status.code() == 503) {
      response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
    }
    return response;
  }

  /**
   * Maps a failure from a route or pool to its status: a rejected task (a full pool) 503, anything
   * else 500.
   */
  public static HttpResponseStatus statusOf(Throwable failure) {
    if (failure instanceof RejectedExecutionException) {
      return HttpResponseStatus.SERVICE_UNAVAILABLE;
    }
    return HttpResponseStatus.INTERNAL_SERVER_ERROR;
  }
}
