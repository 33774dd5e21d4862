package dev.tpp.proxy.server;

import dev.tpp.proxy.http.ErrorResponses;
import dev.tpp.proxy.http.HttpExchange;
import dev.tpp.proxy.http.LogValues;
import dev.tpp.proxy.http.RequestRejectedException;
import dev.tpp.proxy.http.StreamingBody;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs and counts what a connection refuses, one line each with every client-controlled value
 * escaped ({@link LogValues}): a malformed head (answered here with its status and closed), a body
 * refused part-way (malformed chunk, read timeout; answered by the dispatcher), and a head that did
 * not arrive in time (the 408 that {@code ConnectionTimeouts} sends). Each counts in {@code
 * tpp_http_requests_total}. One per connection, on its loop.
 */
final class Refusals {
  private static final Logger log = LoggerFactory.getLogger("tpp.http");

  private final ServerState server;
  private final ChannelHandlerContext ctx;

  Refusals(ServerState server, ChannelHandlerContext ctx) {
    this.server = server;
    this.ctx = ctx;
  }

  /** The status for a request Netty or our checks could not accept. */
  static HttpResponseStatus statusOf(Throwable cause) {
    if (cause instanceof RequestRejectedException rejected) {
      return HttpResponseStatus.valueOf(rejected.status());
    }
    return cause instanceof TooLongHttpLineException
        ? HttpResponseStatus.REQUEST_URI_TOO_LONG
        : cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException
            ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
            : HttpResponseStatus.BAD_REQUEST;
  }

  /** Answers a malformed request head and closes the connection. */
  void malformedHead(Throwable cause) {
    HttpResponseStatus status = statusOf(cause);
    String detail = LogValues.escape(cause.getMessage());
    log.info(
        "event=bad_request status={} remote={} error=\"{}\"",
        status.code(),
        ctx.channel().remoteAddress(),
        detail);
    HttpResponse response = ErrorResponses.of(ctx.alloc(), status, detail);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    server.metrics().requestDone("none", status.code(), 0);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  /**
   * A body refused part-way (malformed framing: 400; not sent in time: 408): its consumer gets an
   * error (an upstream call closes the origin connection, so the origin never gets a whole
   * request), the client gets the status if no response has begun (which counts it), and otherwise
   * the connection closes at once.
   */
  void body(
      String event,
      int status,
      Throwable cause,
      @Nullable HttpExchange exchange,
      @Nullable StreamingBody body) {
    logBody(event, exchange, status, cause);
    if (body != null) {
      body.fail(cause);
    }
    if (exchange == null || exchange.isFinished()) {
      ctx.close();
    } else if (!exchange.isHeadWritten()) {
      exchange.sendError(HttpResponseStatus.valueOf(status), LogValues.escape(cause.getMessage()));
    } else {
      exchange.abort(cause);
    }
  }

  private void logBody(String event, @Nullable HttpExchange exchange, int status, Throwable cause) {
    log.info(
        "event={} status={} route={} id={} remote={} response_started={} error=\"{}\"",
        event,
        status,
        exchange == null || exchange.route() == null ? "none" : exchange.route().name(),
        exchange == null ? "none" : exchange.requestId(),
        ctx.channel().remoteAddress(),
        exchange != null && exchange.isHeadWritten(),
        LogValues.escape(cause.getMessage()));
  }

  /** {@code ConnectionTimeouts} is about to answer 408 to a head that did not arrive in time. */
  void headTimedOut() {
    log.info(
        "event=request_timeout status=408 remote={} error=\"request head not received in time\"",
        ctx.channel().remoteAddress());
    server.metrics().requestDone("none", 408, 0);
  }
}
