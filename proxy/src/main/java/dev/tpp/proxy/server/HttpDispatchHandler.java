package dev.tpp.proxy.server;

import dev.tpp.config.HttpLimits;
import dev.tpp.proxy.http.BodyReadTimer;
import dev.tpp.proxy.http.ConnectionTimeouts;
import dev.tpp.proxy.http.ExchangeOwner;
import dev.tpp.proxy.http.HttpExchange;
import dev.tpp.proxy.http.LogValues;
import dev.tpp.proxy.http.RequestTarget;
import dev.tpp.proxy.http.StreamingBody;
import dev.tpp.proxy.http2.Http2Pipeline;
import dev.tpp.proxy.metrics.WorkerMetrics;
import dev.tpp.proxy.route.Route;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every connection: turns decoded messages into {@link HttpExchange}s, one at a
 * time. AUTO_READ is off and a {@code FlowControlHandler} sits in front, so exactly one message
 * arrives per {@link #read}: pipelined requests wait in order until the previous response is
 * flushed, and request bodies flow only as fast as their consumer pulls them. Once a request is
 * wholly received, one read stays outstanding while it is answered ({@link #readAhead}): the socket
 * keeps its read interest, so a keepalive connection costs no epoll_ctl pair per request (strace
 * showed one to clear and one to set EPOLLIN on every request otherwise), and a request that
 * arrives early waits in {@link #next} until the response before it has gone. Decides keepalive
 * (client wish, {@code maxRequestsPerConnection}, draining) and records each request's metrics.
 * Each exchange holds a reference on the {@link Generation} it started on until it ends, so a
 * replaced config's resources are released only when no request uses them. Runs on the connection's
 * event loop only.
 */
final class HttpDispatchHandler extends ChannelInboundHandlerAdapter implements ExchangeOwner {
  private static final Logger log = LoggerFactory.getLogger("tpp.http");
  private static final long MAX_DISCARD = 64 * 1024;

  /**
   * How long a draining connection that sits idle between requests may still take one more
   * (answered with {@code Connection: close}): a keepalive client usually has its next request on
   * the wire already, and closing under it would lose or reset that request.
   */
  private static final long DRAIN_IDLE_GRACE_MS = 200;

  /**
   * How long a connection closing after its response still reads and drops a request body it did
   * not take (nginx's lingering close, whose lingering_timeout is 5 s): closing a socket with
   * unread bytes makes the kernel send a reset, and a client still sending its body then loses the
   * response (a 413, a WAF 403) to "connection reset".
   */
  private static final long LINGER_MS = 5000;

  private final ServerState server;
  private final ConnectionTimeouts timeouts;
  private final Route
      fixedRoute; // a listener that answers every request the same way (redirect to HTTPS), or null
  private ChannelHandlerContext ctx;
  private Refusals refusals;
  private BodyReadTimer
      bodyTimer; // runs while the current exchange waits for body bytes; one per connection
  private final Runnable readBody = this::readBody; // made once, not per request
  private HttpExchange current;
  private HttpRequest
      next; // the client's next request, read ahead while current is answered; at most one
  private Generation generation; // the one current started on, referenced until it ends
  private StreamingBody body;
  private int served;
  private boolean readPending;
  private boolean closeAfterResponse;
  private boolean closeAnnounced; // the response head in progress said Connection: close

  HttpDispatchHandler(ServerState server, ConnectionTimeouts timeouts, Route fixedRoute) {
    this.server = server;
    this.timeouts = timeouts;
    this.fixedRoute = fixedRoute;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.refusals = new Refusals(server, ctx);
    this.bodyTimer = new BodyReadTimer(ctx.executor(), this::bodyTimedOut);
    read();
    ctx.fireChannelActive();
  }

  /** Asks for the next decoded message, at most one outstanding. */
  private void read() {
    if (!readPending) {
      readPending = true;
      ctx.read();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    readPending = false;
    if (msg instanceof HttpRequest request) {
      if (current != null) {
        next =
            request; // read ahead: it waits its turn, and nothing more is read until it has begun
        return;
      }
      start(request);
    } else if (msg instanceof HttpContent content && content.decoderResult().isFailure()) {
      Throwable cause = content.decoderResult().cause();
      content.release();
      refuseBody("bad_request", Refusals.statusOf(cause).code(), cause);
    } else if (msg instanceof HttpContent content && body != null) {
      bodyTimer.progressed();
      body.onContent(content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  /** Asks for more of the request body; the body read timeout runs until some arrives. */
  private void readBody() {
    bodyTimer.waiting();
    read();
  }

  /**
   * The current request's body was refused ({@link Refusals#body}); the connection closes after.
   */
  private void refuseBody(String event, int status, Throwable cause) {
    closeAfterResponse = true;
    refusals.body(event, status, cause, current, body);
  }

  private void bodyTimedOut() {
    long seconds = server.generation().config().http().bodyTimeout().toSeconds();
    refuseBody(
        "body_timeout", 408, new TimeoutException("no request body bytes for " + seconds + "s"));
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (readPending) {
      ctx.read(); // the socket gave a partial message: keep reading until one is whole
    } else {
      readAhead();
    }
  }

  /**
   * While the request in progress is answered and its body is all here (or it has none: its empty
   * last content is taken first), keeps one read outstanding for the next request, unless the
   * connection closes after this response.
   */
  private void readAhead() {
    if (current != null
        && next == null
        && !closeAfterResponse
        && (body.isComplete() || body.length() == 0)) {
      read();
    }
  }

  private void start(HttpRequest request) {
    DecoderResult result = request.decoderResult();
    ReferenceCountUtil.release(request);
    if (result.isFailure()) {
      refusals.malformedHead(result.cause());
    } else {
      begin(request);
    }
  }

  private void begin(HttpRequest request) {
    timeouts.requestStarted();
    Generation gen = acquireGeneration();
    generation = gen;
    HttpLimits limits = gen.config().http();
    RequestTargets.Prepared prepared = RequestTargets.prepare(request, limits);
    RequestTarget target = prepared.target();
    long length =
        HttpUtil.isTransferEncodingChunked(request) ? -1 : HttpUtil.getContentLength(request, 0L);
    body = new StreamingBody(length, readBody);
    bodyTimer.timeout(limits.bodyTimeout().toNanos());
    Route route =
        target == null
            ? null
            : fixedRoute != null
                ? fixedRoute
                : gen.router().match(RequestTargets.host(request), target.path());
    current =
        new HttpExchange(
            ctx,
            request,
            target == null ? LogValues.escape(request.uri()) : target.path(),
            RequestIds.next(),
            route == null ? null : route.config(),
            body,
            this);
    HttpExchange exchange = current;
    try {
      if (target == null) {
        exchange.sendError(HttpResponseStatus.BAD_REQUEST, prepared.refusal());
      } else if (route == null) {
        exchange.sendError(HttpResponseStatus.NOT_FOUND, "no route");
      } else if (gen.waf() != null && route.config().waf()) {
        gen.waf().inspect(exchange, () -> route.handler().handle(exchange));
      } else {
        route.handler().handle(exchange);
      }
    } catch (RuntimeException e) {
      log.warn(
          "event=handler_failed route={} id={} error=\"{}\"",
          routeName(exchange),
          exchange.requestId(),
          LogValues.escape(e));
      exchange.sendError(HttpResponseStatus.INTERNAL_SERVER_ERROR, null);
    }
  }

  /** The generation in force, with a reference taken for one exchange. */
  private Generation acquireGeneration() {
    while (true) {
      Generation gen = server.generation();
      if (gen.tryAcquire()) {
        return gen;
      }
      // Replaced and released between the read and the acquire: the next read sees its successor.
    }
  }

  @Override
  public void beforeHead(HttpExchange exchange, HttpResponse head) {
    HttpRequest request = exchange.request();
    Generation gen = exchange == current && generation != null ? generation : server.generation();
    int max = gen.config().keepalive().maxRequestsPerConnection();
    boolean keep =
        HttpUtil.isKeepAlive(request)
            && !server.draining()
            && !closeAfterResponse
            && (max == 0 || served + 1 < max)
            && bodyCanBeSkipped();
    if (!keep) {
      closeAfterResponse = true;
      closeAnnounced = true;
      head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
  }

  /**
   * A body the handler left unread can be skipped cheaply when it is short; otherwise the
   * connection closes.
   */
  private boolean bodyCanBeSkipped() {
    return body.isComplete()
        || (body.length() >= 0 && body.length() - body.received() <= MAX_DISCARD);
  }

  @Override
  public void responseComplete(HttpExchange exchange) {
    record(exchange, exchange.status());
    served++;
    if (closeAnnounced) {
      closeAfterUnreadBody();
      return;
    }
    // Also when drained after this head went out saying keep-alive: the client may be sending its
    // next request
    // already, so the connection closes only if it stays idle through the grace (awaitNextRequest).
    body.discardThen(this::awaitNextRequest);
  }

  /**
   * Closes now, or when the client has stopped sending a body nobody read: see {@link #LINGER_MS}.
   * An HTTP/2 stream lingers the same way (its response already ended it on our side): closing it
   * now would reset it with CANCEL, and what the client still sends on it (the body, its trailers,
   * a WINDOW_UPDATE) would be ignored instead of judged.
   */
  private void closeAfterUnreadBody() {
    boolean h2 = Http2Pipeline.isStream(ctx.channel());
    if (body == null || body.isComplete() || !(h2 || ctx.channel() instanceof DuplexChannel)) {
      ctx.close();
      return;
    }
    if (ctx.channel() instanceof DuplexChannel duplex) {
      duplex.shutdownOutput(); // the response is out: the client sees its end, and may stop sending
    }
    ScheduledFuture<?> deadline =
        ctx.executor()
            .schedule(
                () -> {
                  ctx.close();
                },
                LINGER_MS,
                TimeUnit.MILLISECONDS);
    ctx.channel()
        .closeFuture()
        .addListener(f -> deadline.cancel(false)); // no 5 s task left per closed connection
    body.discardThen(ctx::close);
  }

  private void awaitNextRequest() {
    current = null;
    body = null;
    bodyTimer.stop();
    timeouts.awaitRequest();
    if (next != null) {
      HttpRequest early = next;
      next = null;
      start(early);
      return;
    }
    read();
    if (closeAfterResponse) {
      closeIfStillIdleAfterGrace(); // drained after the head said keep-alive, or while the body was
      // skipped
    }
  }

  @Override
  public void abort(HttpExchange exchange, Throwable cause) {
    log.info(
        "event=response_aborted route={} id={} error=\"{}\"",
        routeName(exchange),
        exchange.requestId(),
        LogValues.escape(cause));
    record(exchange, exchange.status() == 0 ? 502 : exchange.status());
    ctx.close();
  }

  private void record(HttpExchange exchange, int status) {
    exchange.ended();
    if (exchange == current && generation != null) {
      generation
          .release(); // after the end hooks, which may still submit cleanup to the generation's
      // pools
      generation = null;
    }
    server
        .metrics()
        .requestDone(routeName(exchange), status, System.nanoTime() - exchange.startNanos());
    WorkerMetrics.requestServed(ctx.channel());
  }

  private static String routeName(HttpExchange exchange) {
    return exchange.route() == null ? "none" : exchange.route().name();
  }

  /**
   * The server or this connection's worker generation drains: the response in progress (or the one
   * request that arrives within a short grace) goes out with {@code Connection: close}; an idle
   * connection closes after the grace.
   */
  void drain() {
    closeAfterResponse = true;
    if (current == null && ctx != null) {
      closeIfStillIdleAfterGrace();
    }
  }

  private void closeIfStillIdleAfterGrace() {
    ctx.executor()
        .schedule(
            () -> {
              if (current == null) {
                ctx.close();
              }
            },
            DRAIN_IDLE_GRACE_MS,
            TimeUnit.MILLISECONDS);
  }

  /**
   * Drains {@code ch} on its own loop (callable from any thread); an HTTP/2 connection gets GOAWAY.
   */
  static void drain(Channel ch) {
    ch.eventLoop()
        .execute(
            () -> {
              if (Http2Pipeline.isHttp2(ch)) {
                Http2Pipeline.drain(ch); // GOAWAY; the streams in flight finish
                return;
              }
              HttpDispatchHandler h = ch.pipeline().get(HttpDispatchHandler.class);
              if (h != null) {
                h.drain();
              }
            });
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ConnectionTimeouts.HEAD_TIMED_OUT) {
      refusals.headTimedOut();
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (bodyTimer != null) {
      bodyTimer.stop();
    }
    if (current != null && !current.isFinished()) {
      record(current, 499); // client closed the connection before the response (nginx's 499)
    }
    if (body != null) {
      body.onClosed();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug(
        "event=connection_error remote={} error=\"{}\"",
        ctx.channel().remoteAddress(),
        LogValues.escape(cause));
    ctx.close();
  }
}
