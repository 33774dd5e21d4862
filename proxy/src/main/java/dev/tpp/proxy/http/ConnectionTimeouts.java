package dev.tpp.proxy.http;

import dev.tpp.proxy.clock.LoopClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Bounds how long a client may hold a connection without making progress. Between requests the
 * keepalive {@code idleTimeout} runs (expiry: close quietly); once the first byte of a request
 * arrives the {@code headerTimeout} runs until the dispatcher has the whole head (expiry: 408 and
 * close) — so a client that sends slowly cannot hold a connection forever. Sits next to the socket,
 * before the decoder; runs on the connection's loop only. (The request body has its own timer,
 * {@link BodyReadTimer}, run by the dispatcher, which knows when it waits for body bytes.)
 *
 * <p>One check task per connection at a time, never cancelled between requests: a state change only
 * moves the deadline, and the check, which runs at most {@code min(idleTimeout, headerTimeout)}
 * after it was scheduled, sleeps again for the rest (as Netty's {@code IdleStateHandler}).
 * Scheduling and cancelling a task on every state change cost a task object and two priority-queue
 * operations per request.
 */
public final class ConnectionTimeouts extends ChannelDuplexHandler {
  /**
   * Fired down the pipeline just before the 408 for a head not received in time, so the dispatcher
   * logs and counts it.
   */
  public static final Object HEAD_TIMED_OUT =
      new Object() {
        @Override
        public String toString() {
          return "HEAD_TIMED_OUT";
        }
      };

  private static final byte[] TIMEOUT_408 =
      "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII);

  private enum State {
    IDLE,
    HEAD,
    BUSY
  }

  /**
   * For an HTTP/2 stream: kept out of its pipeline, and its methods do nothing. A stream carries
   * one request whose head is whole when the stream opens, and its connection has its own idle
   * timer, so a per-stream timer would only cost a scheduled task made and cancelled per stream.
   */
  private static final ConnectionTimeouts UNTIMED = new ConnectionTimeouts(0, 0, false);

  private final long idleNanos;
  private final long headerNanos;
  private final long
      checkEvery; // no check runs later than this after it was scheduled: no deadline is missed
  private final boolean timed;

  @SuppressWarnings("NullAway.Init") // set in handlerAdded, before any other event
  private ChannelHandlerContext ctx;

  private State state = State.IDLE;
  private long deadline; // when the IDLE or HEAD state expires, on the scheduler's clock
  private @Nullable ScheduledFuture<?> timer;

  public ConnectionTimeouts(long idleNanos, long headerNanos) {
    this(idleNanos, headerNanos, true);
  }

  private ConnectionTimeouts(long idleNanos, long headerNanos, boolean timed) {
    this.idleNanos = idleNanos;
    this.headerNanos = headerNanos;
    this.checkEvery = Math.min(idleNanos, headerNanos);
    this.timed = timed;
  }

  /** The timeouts of an HTTP/2 stream: none (see {@link #UNTIMED}); one instance for all. */
  public static ConnectionTimeouts untimed() {
    return UNTIMED;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Removed when the connection turns to HTTP/2 (ALPN h2, h2c prior knowledge): HTTP/2 has its own
   * idle timer, and a check still pending here would otherwise close the upgraded connection,
   * streams in flight or not.
   */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    state = State.BUSY;
    cancel();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    awaitRequest();
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (state == State.IDLE && msg instanceof ByteBuf b && b.isReadable()) {
      arm(State.HEAD, headerNanos);
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.channelInactive(ctx);
  }

  /** The connection waits for a (next) request: the keepalive idle timer runs. */
  public void awaitRequest() {
    arm(State.IDLE, idleNanos);
  }

  /** A whole request head arrived: no timer until the response is done. */
  public void requestStarted() {
    if (timed) {
      state = State.BUSY; // a pending check finds nothing to do and is not renewed
    }
  }

  private void arm(State next, long nanos) {
    if (!timed) {
      return;
    }
    state = next;
    deadline = now() + nanos;
    if (timer == null) {
      timer = ctx.executor().schedule(this::check, checkEvery, TimeUnit.NANOSECONDS);
    }
  }

  private long now() {
    return LoopClock.timerNanos(ctx.executor()); // read once per loop turn
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void check() {
    timer = null;
    if (state == State.BUSY) {
      return;
    }
    long left = deadline - now();
    if (left <= 0) {
      expired();
    } else {
      timer =
          ctx.executor().schedule(this::check, Math.min(left, checkEvery), TimeUnit.NANOSECONDS);
    }
  }

  private void expired() {
    if (state == State.HEAD && ctx.channel().isActive()) {
      ctx.fireUserEventTriggered(HEAD_TIMED_OUT);
      ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT_408))
          .addListener(ChannelFutureListener.CLOSE);
    } else if (state == State.IDLE) {
      ctx.close();
    }
  }
}
