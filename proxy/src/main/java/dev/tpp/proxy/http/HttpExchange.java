package dev.tpp.proxy.http;

import dev.tpp.config.RouteConfig;
import dev.tpp.proxy.clock.LoopClock;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One request and its response, as a route handler sees them. Created by the dispatcher on the
 * connection's event loop; every method must be called on that loop ({@link #loop()}), so work
 * offloaded to a pool comes back here before it writes. The handler writes a head, then content,
 * then a last content (or {@link #send} all at once); the dispatcher adds the keepalive headers
 * and, once the last byte is flushed, moves on to the next request. On an HTTP/1.1 connection a
 * route may instead write bytes it framed itself ({@link #takesHttp1Bytes}, {@link
 * #passHead(Http1Head)}): the upstream relay copies the origin's head and body that way.
 */
public final class HttpExchange implements ChannelFutureListener {
  /**
   * A scratch head per loop thread: the owner sets its {@code Connection} header there for a head
   * written as bytes ({@link #passHead(Http1Head)}), which copies it.
   */
  private static final FastThreadLocal<HttpResponse> CONNECTION_PROBE =
      new FastThreadLocal<>() {
        @Override
        protected HttpResponse initialValue() {
          return new DefaultHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.OK,
              DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders());
        }
      };

  private final ChannelHandlerContext ctx;
  private final HttpRequest request;
  private final String path;
  private final long requestNumber;
  private @Nullable String requestId; // made from requestNumber when first read
  private final @Nullable RouteConfig route;
  private final long startNanos;
  private final ExchangeOwner owner;
  private RequestBody body;
  private @Nullable Runnable
      endHook; // the first hook; most exchanges have one (the upstream call's)
  private @Nullable List<Runnable> moreEndHooks;
  private int status;
  private boolean finished;
  private boolean aborted;
  private @Nullable ResponseInterceptor interceptor;
  private boolean
      batching; // between holdFlushes and flushHeld: writes wait for one flush at the batch's end
  private boolean flushOwed; // written but not flushed, while batching

  /**
   * A head passed as bytes while batching, not yet written: a short last body that comes in the
   * same batch joins it in its buffer ({@link #passEncodedLast}), and the response leaves as one
   * buffer, one write. Written before anything else is, and at the batch's end.
   */
  private @Nullable ByteBuf heldHead;

  /**
   * The longest body {@link #passEncodedLast} adds to a held head's buffer (the head's encoder
   * leaves room for it); longer ones go as their own buffer.
   */
  public static final int JOINED_BODY_MAX = 4096;

  public HttpExchange(
      ChannelHandlerContext ctx,
      HttpRequest request,
      String path,
      long requestNumber,
      @Nullable RouteConfig route,
      RequestBody body,
      ExchangeOwner owner) {
    this.ctx = ctx;
    this.request = request;
    this.path = path;
    this.requestNumber = requestNumber;
    this.route = route;
    this.body = body;
    this.owner = owner;
    this.startNanos = LoopClock.nanoTime(ctx.executor()); // when its loop turn began reading
  }

  public ChannelHandlerContext ctx() {
    return ctx;
  }

  public EventLoop loop() {
    return ctx.channel().eventLoop();
  }

  /** The request head (method, target, headers). Read on the loop; copy what a pool task needs. */
  public HttpRequest request() {
    return request;
  }

  /** The path part of the request-target, still percent-encoded, without the query. */
  public String path() {
    return path;
  }

  /** The request's id ({@link RequestIds}), made on first use. */
  public String requestId() {
    String id = requestId;
    if (id == null) {
      id = RequestIds.format(requestNumber);
      requestId = id;
    }
    return id;
  }

  public @Nullable RouteConfig route() {
    return route;
  }

  public RequestBody body() {
    return body;
  }

  public void replaceBody(RequestBody replacement) {
    this.body = replacement;
  }

  public InetSocketAddress remoteAddress() {
    return (InetSocketAddress) ctx.channel().remoteAddress();
  }

  public InetSocketAddress localAddress() {
    return (InetSocketAddress) ctx.channel().localAddress();
  }

  public long startNanos() {
    return startNanos;
  }

  /** The status of the response head written so far, or 0. */
  public int status() {
    return status;
  }

  public boolean isHeadWritten() {
    return status != 0;
  }

  public boolean isFinished() {
    return finished;
  }

  /**
   * Routes the streamed response through {@code interceptor} (null: straight to the client again).
   */
  public void interceptResponse(@Nullable ResponseInterceptor interceptor) {
    this.interceptor = interceptor;
  }

  /**
   * Writes the response head; it is flushed with the body written in the same loop turn, or at its
   * end.
   */
  public ChannelFuture writeHead(HttpResponse head) {
    return interceptor != null ? interceptor.head(head) : passHead(head);
  }

  /** {@link #writeHead} past any interceptor. */
  public ChannelFuture passHead(HttpResponse head) {
    status = head.status().code();
    owner.beforeHead(this, head);
    return writeHeadMessage(head);
  }

  /** The client's IP address as text, once per connection ({@link ExchangeOwner#clientIp}). */
  public String clientIp() {
    return owner.clientIp();
  }

  /** An address's IP as text ({@code 192.0.2.7}, {@code 2001:db8::1}), else its host string. */
  public static String ipText(InetSocketAddress address) {
    return address.getAddress() != null
        ? address.getAddress().getHostAddress()
        : address.getHostString();
  }

  /** True when the client's connection came in over TLS (an HTTP/2 stream: its connection's). */
  public boolean isHttps() {
    return owner.isHttps();
  }

  /**
   * True when the response may go out as bytes the route frames itself ({@link
   * #passHead(Http1Head)}, {@link #passEncoded}, {@link #passEncodedLast}): an HTTP/1.1 connection
   * (not an HTTP/2 stream) and no {@link ResponseInterceptor}, which needs message objects.
   */
  public boolean takesHttp1Bytes() {
    return interceptor == null && owner.takesHttp1Bytes();
  }

  /**
   * Writes a head encoded by the route, with the {@code Connection} header the owner chooses; only
   * when {@link #takesHttp1Bytes}, and then the body goes with {@link #passEncoded} and {@link
   * #passEncodedLast}, framed for this connection by the route. While batching ({@link
   * #holdFlushes}) the head is held back until the next write or the batch's end, so that a short
   * last body can leave in its buffer. A failed write of the head closes the connection (the body's
   * writes report it).
   */
  public void passHead(Http1Head head) {
    status = head.status();
    HttpResponse probe = CONNECTION_PROBE.get();
    probe.headers().clear();
    owner.beforeHead(this, probe);
    ByteBuf bytes = head.encode(ctx.alloc(), probe.headers().get(HttpHeaderNames.CONNECTION));
    if (batching) {
      writeHeld();
      heldHead = bytes;
      flushOwed = true;
      return;
    }
    writeHeadMessage(new Http1Bytes(bytes));
  }

  /** Writes the held head, if any (not flushed). */
  private void writeHeld() {
    ByteBuf held = heldHead;
    if (held != null) {
      heldHead = null;
      ctx.write(new Http1Bytes(held), ctx.voidPromise());
    }
  }

  private ChannelFuture writeHeadMessage(Object head) {
    writeHeld();
    ChannelFuture written = ctx.write(head);
    if (batching) {
      flushOwed = true;
    } else {
      // Flush at the end of this loop turn rather than now: a body written in the same turn then
      // leaves with the head in one write instead of two, and a slow body still gets its head out.
      ctx.executor().execute(ctx::flush);
    }
    return written;
  }

  /**
   * Writes and flushes a piece of body: an HttpContent or a FileRegion (not an HttpChunkedInput,
   * which ends the response itself).
   */
  public ChannelFuture write(Object content) {
    if (interceptor != null && content instanceof HttpContent piece) {
      return interceptor.content(piece);
    }
    return passContent(content);
  }

  /** {@link #write} past any interceptor. */
  public ChannelFuture passContent(Object content) {
    writeHeld();
    if (batching) {
      flushOwed = true;
      return ctx.write(content);
    }
    return ctx.writeAndFlush(content);
  }

  /** Writes the end of the response; when it is flushed the exchange is complete. */
  public ChannelFuture writeLast(LastHttpContent last) {
    return interceptor != null ? interceptor.last(last) : passLast(last);
  }

  /** {@link #writeLast} past any interceptor. */
  public ChannelFuture passLast(LastHttpContent last) {
    return writeLastMessage(last);
  }

  /** Body bytes after {@link #passHead(Http1Head)}, framed for this connection by the route. */
  public ChannelFuture passEncoded(ByteBuf framed) {
    return passContent(new Http1Bytes(framed));
  }

  /** The end of a response begun with {@link #passHead(Http1Head)}, as {@link #passLast}. */
  public ChannelFuture passEncodedLast(ByteBuf framed) {
    ByteBuf held = heldHead;
    if (held != null && framed.readableBytes() <= held.writableBytes()) {
      heldHead = null;
      // Copied from the source's side: a direct buffer's getBytes copies memory to memory, while
      // held.writeBytes(framed) would make two NIO views of a sliced source per response.
      int length = framed.readableBytes();
      framed.getBytes(framed.readerIndex(), held, held.writerIndex(), length);
      held.writerIndex(held.writerIndex() + length);
      framed.release();
      return writeLastMessage(new Http1Bytes(held));
    }
    return writeLastMessage(new Http1Bytes(framed));
  }

  private ChannelFuture writeLastMessage(Object last) {
    writeHeld();
    finished = true;
    flushOwed = false; // this flush takes everything written before
    return ctx.writeAndFlush(last).addListener(this); // operationComplete: no listener to make
  }

  /**
   * Until {@link #flushHeld}, the head and content written are not flushed each on its own (the
   * last content still is): a handler relaying what one socket read brought (the upstream relay,
   * for one origin read batch) then sends it to the client in one flush, as Netty's {@code
   * FlushConsolidationHandler} would. Loop only.
   */
  public void holdFlushes() {
    batching = true;
  }

  /** Ends {@link #holdFlushes}: flushes what was written meanwhile, if anything still waits. */
  public void flushHeld() {
    writeHeld();
    batching = false;
    if (flushOwed) {
      flushOwed = false;
      ctx.flush();
    }
  }

  /**
   * Sends a whole response (head, body and end) and completes the exchange; it is not intercepted.
   */
  public void send(FullHttpResponse response) {
    if (finished) {
      ReferenceCountUtil.release(response);
      return;
    }
    writeHeld();
    status = response.status().code();
    finished = true;
    flushOwed = false;
    owner.beforeHead(this, response);
    ctx.writeAndFlush(response).addListener(this);
  }

  /**
   * Sends an error response via {@link ErrorResponses}; after a head was written it can only abort.
   */
  public void sendError(HttpResponseStatus status, @Nullable String detail) {
    if (isHeadWritten()) {
      abort(
          new IllegalStateException(
              "error " + status.code() + " after the response began: " + detail));
      return;
    }
    send(ErrorResponses.of(ctx.alloc(), status, detail));
  }

  /** Gives up on the response (the connection closes); for failures after the head went out. */
  public void abort(Throwable cause) {
    if (aborted) {
      return;
    }
    aborted = true;
    finished = true;
    releaseHeld();
    owner.abort(this, cause);
  }

  private void releaseHeld() {
    ByteBuf held = heldHead;
    if (held != null) {
      heldHead = null;
      held.release();
    }
  }

  /**
   * The response's last write finished: the exchange completes, or aborts if the write failed. The
   * exchange listens itself, so finishing a response makes no listener object. Loop only.
   */
  @Override
  public void operationComplete(ChannelFuture f) {
    if (f.isSuccess()) {
      owner.responseComplete(this);
    } else {
      abort(f.cause());
    }
  }

  /**
   * Runs {@code hook} on the loop when the exchange ends, however it ends (complete, aborted,
   * client gone).
   */
  public void onEnd(Runnable hook) {
    if (endHook == null && moreEndHooks == null) {
      endHook = hook;
      return;
    }
    if (moreEndHooks == null) {
      moreEndHooks = new ArrayList<>(2);
    }
    moreEndHooks.add(hook);
  }

  /** Called once by the dispatcher when the exchange is over. */
  public void ended() {
    releaseHeld();
    Runnable first = endHook;
    List<Runnable> more = moreEndHooks;
    endHook = null;
    moreEndHooks = null;
    if (first != null) {
      first.run();
    }
    if (more != null) {
      more.forEach(Runnable::run);
    }
  }

  /**
   * Closes the connection once {@code future} completes; a convenience for handlers that end with
   * close.
   */
  public static void closeAfter(ChannelFuture future) {
    future.addListener(ChannelFutureListener.CLOSE);
  }
}
