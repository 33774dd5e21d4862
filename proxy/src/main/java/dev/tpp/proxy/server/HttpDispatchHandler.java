package dev.tpp.proxy.server;

import dev.tpp.config.HttpLimits;
import dev.tpp.proxy.http.BodyReadTimer;
import dev.tpp.proxy.http.ConnectionTimeouts;
import dev.tpp.proxy.http.ExchangeOwner;
import dev.tpp.proxy.http.Http1ResponseEncoder;
import dev.tpp.proxy.http.HttpExchange;
import dev.tpp.proxy.http.LogValues;
import dev.tpp.proxy.http.RequestIds;
import dev.tpp.proxy.http.RequestTarget;
import dev.tpp.proxy.http.Schemes;
import dev.tpp.proxy.http.StreamingBody;
import dev.tpp.proxy.metrics.WorkerMetrics;
import dev.tpp.proxy.route.Route;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every connection and of every HTTP/2 stream: turns decoded messages into
 * {@link HttpExchange}s, one at a time, and hands each to its route. AUTO_READ is off, and the
 * handler takes exactly one decoded message per {@link #read}: what one socket read decoded beyond
 * that waits in {@link #queued} (the job of Netty's {@code FlowControlHandler}, done here to spare
 * every message and every read a pass through one more handler). So pipelined requests wait in
 * order until the previous response is flushed, and request bodies flow only as fast as their
 * consumer pulls them. Once a request is wholly received, one read stays outstanding while it is
 * answered ({@link #readAhead}): the socket keeps its read interest, so a keepalive connection
 * costs no epoll_ctl pair per request (strace showed one to clear and one to set EPOLLIN on every
 * request otherwise), and a request that arrives early waits in {@link #next} until the response
 * before it has gone. On HTTP/1.1, a request with {@code Expect: 100-continue} is told {@code 100
 * Continue} when its turn comes, not when it was read: a pipelined request's interim response must
 * not come before the responses to the requests ahead of it.
 *
 * <p>What it hands off: whether the connection takes another request and how it closes to its
 * {@link ConnectionLifecycle} (the lingering kind chosen when the pipeline was built, the only
 * difference between a TCP connection and an HTTP/2 stream here); the reference on the config
 * generation to a {@link GenerationHold}; the WAF is part of the route's handler (applied when the
 * generation was built). Runs on the connection's event loop only.
 */
final class HttpDispatchHandler extends ChannelInboundHandlerAdapter implements ExchangeOwner {
  private static final Logger log = LoggerFactory.getLogger("tpp.http");
  private static final FullHttpResponse CONTINUE =
      new DefaultFullHttpResponse(
          HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER);

  static {
    CONTINUE.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0); // as Netty's handler sent it
  }

  private final ServerState server;
  private final ConnectionTimeouts timeouts;
  private final LingeringClose lingering;
  // a listener that answers every request the same way (redirect to HTTPS), or null
  private final @Nullable Route fixedRoute;
  private ChannelHandlerContext ctx;
  private ConnectionLifecycle lifecycle;
  private GenerationHold generation;
  private Refusals refusals;
  private BodyReadTimer bodyTimer; // runs while the current exchange waits for body bytes
  private final Runnable readBody = this::readBody; // made once, not per request
  private final RequestTargets.HostCache hosts = new RequestTargets.HostCache();
  private @Nullable HttpExchange current;
  // the client's next request, read ahead while current is answered; at most one
  private @Nullable HttpRequest next;
  private @Nullable StreamingBody body;
  private boolean readPending; // a message was asked for and has not come yet
  // decoded messages no read asked for yet, in order; taken one per read
  private final ArrayDeque<Object> queued = new ArrayDeque<>(4);
  private boolean
      delivering; // deliverQueued runs: a read asked for inside it is served by its loop
  // an HTTP/1.1 connection (its encoder is in front), not an HTTP/2 stream: Expect: 100-continue is
  // answered here, and routes may write bytes they framed (HttpExchange#takesHttp1Bytes)
  private boolean http1;
  private @Nullable WorkerMetrics worker; // counts this connection's requests, once looked up
  private @Nullable Boolean https; // the connection came over TLS, looked up at its first request
  private @Nullable String clientIp; // as text, worked out at its first request

  /**
   * {@code lingering}: how this connection (a socket, or an HTTP/2 stream) closes after a response
   * that announced it.
   */
  /** {@link #awaitNextRequest}, made once per connection rather than once per response. */
  private final Runnable toNextRequest = this::awaitNextRequest;

  @SuppressWarnings("NullAway.Init") // ctx and the per-connection parts: set in handlerAdded
  HttpDispatchHandler(
      ServerState server,
      ConnectionTimeouts timeouts,
      LingeringClose lingering,
      @Nullable Route fixedRoute) {
    this.server = server;
    this.timeouts = timeouts;
    this.lingering = lingering;
    this.fixedRoute = fixedRoute;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.http1 =
        ctx.pipeline().get(Http1ResponseEncoder.class) != null; // looked up once, not per request
    this.lifecycle = new ConnectionLifecycle(server, lingering, ctx, () -> current == null);
    this.generation = new GenerationHold(server, ctx.executor());
    this.refusals = new Refusals(server, ctx);
    this.bodyTimer = new BodyReadTimer(ctx.executor(), this::bodyTimedOut);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    read();
    ctx.fireChannelActive();
  }

  /**
   * Asks for the next decoded message, at most one outstanding: the first one queued, else the
   * socket's next.
   */
  private void read() {
    if (readPending) {
      return;
    }
    readPending = true;
    if (queued.isEmpty()) {
      ctx.read();
    } else if (!delivering) {
      deliverQueued();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    queued.add(msg);
    if (readPending && !delivering) {
      deliverQueued();
    }
  }

  /**
   * Hands queued messages on, one per read asked for, in a loop rather than by recursion (a handled
   * message often asks for the next). After each, as at the end of a socket read, the next request
   * may be read ahead.
   */
  private void deliverQueued() {
    delivering = true;
    try {
      while (readPending && !queued.isEmpty()) {
        readPending = false;
        handle(queued.poll());
        if (!readPending) {
          readAhead();
        }
      }
    } finally {
      delivering = false;
    }
  }

  private void handle(Object msg) {
    if (msg instanceof HttpRequest request) {
      if (current != null) {
        next = request; // read ahead: it waits its turn, and nothing more is read until it began
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
    lifecycle.closeAfterResponse();
    refusals.body(event, status, cause, current, body);
  }

  private void bodyTimedOut() {
    long seconds = server.generation().config().http().bodyTimeout().toSeconds();
    refuseBody(
        "body_timeout", 408, new TimeoutException("no request body bytes for " + seconds + "s"));
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (readPending && queued.isEmpty()) {
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
        && !lifecycle.closing()
        && (body().isComplete() || body().length() == 0)) {
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
    if (http1 && HttpUtil.is100ContinueExpected(request)) {
      // its turn has come: the responses to the requests before it are all written
      ctx.writeAndFlush(CONTINUE.retainedDuplicate())
          .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
      request.headers().remove(HttpHeaderNames.EXPECT);
    }
    Generation gen = generation.acquire();
    HttpLimits limits = gen.config().http();
    RequestTargets.Prepared prepared = RequestTargets.prepare(request, limits);
    RequestTarget target = prepared.target();
    long length =
        HttpUtil.isTransferEncodingChunked(request) ? -1 : HttpUtil.getContentLength(request, 0L);
    body = new StreamingBody(length, readBody);
    bodyTimer.timeout(limits.bodyTimeout().toNanos());
    Route route = target == null ? null : route(gen, request, target);
    HttpExchange exchange =
        new HttpExchange(
            ctx,
            request,
            target == null ? LogValues.escape(request.uri()) : target.path(),
            RequestIds.next(),
            route == null ? null : route.config(),
            body,
            this);
    current = exchange;
    try {
      if (target == null) {
        exchange.sendError(HttpResponseStatus.BAD_REQUEST, prepared.refusal());
      } else if (route == null) {
        exchange.sendError(HttpResponseStatus.NOT_FOUND, "no route");
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

  /** The route for a well-formed request: the listener's fixed one, else the first that matches. */
  private @Nullable Route route(Generation gen, HttpRequest request, RequestTarget target) {
    return fixedRoute != null ? fixedRoute : gen.router().match(hosts.host(request), target.path());
  }

  @Override
  public boolean takesHttp1Bytes() {
    return http1;
  }

  @Override
  public String clientIp() {
    String known = clientIp;
    if (known == null) {
      known = HttpExchange.ipText((InetSocketAddress) ctx.channel().remoteAddress());
      clientIp = known;
    }
    return known;
  }

  @Override
  public boolean isHttps() {
    Boolean known = https;
    if (known == null) {
      known = Schemes.isHttps(ctx.channel()); // set when the connection was accepted
      https = known;
    }
    return known;
  }

  @Override
  public void beforeHead(HttpExchange exchange, HttpResponse head) {
    Generation held = exchange == current ? generation.held() : null;
    Generation gen = held != null ? held : server.generation();
    int max = gen.config().keepalive().maxRequestsPerConnection();
    lifecycle.beforeHead(exchange.request(), head, max, body());
  }

  /** The current request's body: set by begin(), before any exchange exists. */
  private StreamingBody body() {
    return Objects.requireNonNull(body, "body: begin() sets it with the first exchange");
  }

  @Override
  public void responseComplete(HttpExchange exchange) {
    record(exchange, exchange.status());
    lifecycle.responseComplete(body, toNextRequest);
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
    lifecycle
        .awaitingRequest(); // drained after the head said keep-alive, or while the body was skipped
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

  /** The exchange ended: its end hooks run, its generation is let go, its metrics recorded. */
  private void record(HttpExchange exchange, int status) {
    exchange.ended();
    if (exchange == current) {
      generation.release(); // after the end hooks, which may still submit to the generation's pools
    }
    server
        .metrics()
        .requestDone(routeName(exchange), status, System.nanoTime() - exchange.startNanos());
    if (worker == null) {
      worker = WorkerMetrics.of(ctx.channel()); // attached when the connection was accepted
    }
    if (worker != null) {
      worker.requestServed();
    }
  }

  private static String routeName(HttpExchange exchange) {
    return exchange.route() == null ? "none" : exchange.route().name();
  }

  /** Drains this connection ({@link ConnectionLifecycle#drain}); on its loop. */
  void drain() {
    lifecycle.drain();
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
    bodyTimer.stop();
    if (current != null && !current.isFinished()) {
      record(current, 499); // client closed the connection before the response (nginx's 499)
    }
    if (body != null) {
      body.onClosed();
    }
    releaseQueued();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseQueued(); // the connection turned HTTP/2 (nothing is queued then) or closed
  }

  private void releaseQueued() {
    Object msg;
    while ((msg = queued.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
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
