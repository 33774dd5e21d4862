package dev.tpp.proxy.route.upstream;

import dev.tpp.proxy.http.HttpExchange;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt to forward one request over one upstream connection: starts the {@link RequestRelay}
 * and the {@link ResponseRelay}, ends exactly once (response complete, origin failure, timeout, or
 * client gone), counts the outcome, and decides whether the connection goes back to the pool. Runs
 * on the exchange's loop, which is also the connection's.
 */
final class UpstreamCall implements ConnectionListener {
  private static final Logger log = LoggerFactory.getLogger("tpp.upstream");
  private final Upstream upstream;
  private final HttpExchange exchange;
  private final UpstreamConnection connection;
  private final @Nullable UpstreamHandler retryVia;
  private final @Nullable String hashKey;
  private final RequestRelay request;
  private final ResponseRelay response;
  private boolean done;

  /**
   * {@code retryVia} sends the request again (with {@code hashKey}) on a new connection when this
   * reused one was stale; null = no retry. A handler and a key, not a closure: no object per call.
   */
  UpstreamCall(
      Upstream upstream,
      HttpExchange exchange,
      UpstreamConnection connection,
      @Nullable UpstreamHandler retryVia,
      @Nullable String hashKey) {
    this.upstream = upstream;
    this.exchange = exchange;
    this.connection = connection;
    this.retryVia = retryVia;
    this.hashKey = hashKey;
    this.request = new RequestRelay(this, exchange, connection.channel());
    this.response =
        new ResponseRelay(this, exchange, connection, upstream.config().responseTimeout());
  }

  void start() {
    connection.attach(this);
    exchange.onEnd(
        this::clientGone); // a no-op once the call is done; closes the origin if the client left
    // first
    HttpRequest client = exchange.request();
    long length = exchange.body().length();
    ByteBuf head =
        ProxiedRequest.head(
            client,
            exchange.clientIp(),
            exchange.isHttps(),
            length,
            upstream.config().keepaliveConnections() > 0,
            connection.channel().remoteAddress(),
            connection.channel().alloc());
    connection.decoder().expectResponseTo(client.method());
    request.start(head, length < 0);
    response.start();
  }

  boolean isDone() {
    return done;
  }

  /** A final response head with {@code status} came: passive health hears of it. */
  void responded(int status) {
    upstream.responded(connection.endpoint(), status, connection.channel().eventLoop());
  }

  void requestSent() {
    response.requestSent();
  }

  @Override
  public void onRead(HttpObject msg) {
    response.onRead(msg);
  }

  @Override
  public void onReadComplete() {
    response.onReadComplete();
  }

  @Override
  public void onClosed(@Nullable Throwable cause) {
    if (done) {
      return;
    }
    if (!response.started() && retryVia != null) {
      // A stale keepalive connection, or an origin that closed before answering (a pod draining
      // with the connection still in its accept queue): an idempotent request without a body is
      // sent once more on a new connection, as nginx's default proxy_next_upstream error does.
      end();
      retryVia.retry(exchange, hashKey);
      return;
    }
    String detail = cause == null ? "upstream closed the connection" : "upstream connection failed";
    fail(UpstreamOutcome.RESET, HttpResponseStatus.BAD_GATEWAY, detail, cause);
  }

  void timedOut() {
    fail(
        UpstreamOutcome.TIMEOUT,
        HttpResponseStatus.GATEWAY_TIMEOUT,
        "upstream did not answer in time",
        null);
  }

  /** {@code cause} says what was wrong with the response, for the log. */
  void malformedResponse(Throwable cause) {
    fail(
        UpstreamOutcome.RESET,
        HttpResponseStatus.BAD_GATEWAY,
        "upstream sent an invalid response",
        cause);
  }

  /** The last byte of the response was handed to the client connection. */
  void responseComplete(boolean originKeepsAlive) {
    if (done) {
      return;
    }
    end();
    upstream.count(UpstreamOutcome.OK);
    if (originKeepsAlive && request.isComplete() && upstream.config().keepaliveConnections() > 0) {
      connection.recycle();
    } else {
      connection.close();
    }
  }

  /**
   * The client went away (closed, or a write to it failed): the origin connection cannot be reused.
   */
  void clientGone() {
    if (done) {
      return;
    }
    end();
    connection.close();
  }

  /** {@code cause}, when known, is logged for the operator; the client sees only {@code detail}. */
  private void fail(
      UpstreamOutcome outcome,
      HttpResponseStatus status,
      String detail,
      @Nullable Throwable cause) {
    if (done) {
      return;
    }
    end();
    upstream.failed(connection.endpoint(), outcome, connection.channel().eventLoop());
    log.info(
        "event=upstream_failed upstream={} outcome={} id={} remote={} head_sent={} error=\"{}\" cause=\"{}\"",
        upstream.name(),
        outcome.label(),
        exchange.requestId(),
        connection.channel().remoteAddress(),
        exchange.isHeadWritten(),
        detail,
        cause == null ? "" : String.valueOf(cause).replace('"', '\''));
    connection.close();
    upstream.count(outcome);
    if (exchange.isHeadWritten()) {
      exchange.abort(new IOException(detail));
    } else {
      exchange.sendError(status, detail);
    }
  }

  private void end() {
    done = true;
    connection.endLease();
    response.stop();
  }
}
