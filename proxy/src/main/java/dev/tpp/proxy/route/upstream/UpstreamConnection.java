package dev.tpp.proxy.route.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * One connection to an origin, and the last handler of its pipeline: while a request uses it, every
 * event goes to that request's {@link ConnectionListener}; while idle in its {@link
 * UpstreamConnectionPool}, a close by the origin drops it from the pool and any unsolicited byte
 * closes it. Lives on one event loop, the one of the client connections it serves, and is touched
 * only there.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {
  private final UpstreamConnectionPool pool;

  @SuppressWarnings("NullAway.Init") // set in handlerAdded, before any other use
  private Channel channel;

  @SuppressWarnings("NullAway.Init") // set in handlerAdded, before any other use
  private OriginResponseDecoder decoder;

  @SuppressWarnings("NullAway.Init") // set in handlerAdded, before any other use
  private ResponseTimer responseTimer;

  private @Nullable ConnectionListener listener;
  private @Nullable Throwable failure;
  private boolean fromPool;
  private boolean leased;
  private long idleSince;

  UpstreamConnection(UpstreamConnectionPool pool) {
    this.pool = pool;
  }

  Channel channel() {
    return channel;
  }

  /** The decoder of the responses on this connection. */
  OriginResponseDecoder decoder() {
    return decoder;
  }

  /** The response timer of the calls this connection carries, one after the other. */
  ResponseTimer responseTimer() {
    return responseTimer;
  }

  /**
   * True when this connection was taken from the idle pool: the origin may have closed it
   * meanwhile.
   */
  boolean reused() {
    return fromPool;
  }

  UpstreamEndpoint endpoint() {
    return pool.endpoint();
  }

  /**
   * Counted as a request in flight on its endpoint until {@link #endLease()}, {@link #recycle()} or
   * {@link #close()}.
   */
  void lease() {
    leased = true;
  }

  /** The request this connection carried is over for the balancer; idempotent. */
  void endLease() {
    if (leased) {
      leased = false;
      pool.endpoint().finished();
    }
  }

  /** When it went back to the idle pool, on the loop's scheduler clock. */
  long idleSince() {
    return idleSince;
  }

  void idleSince(long nanos) {
    idleSince = nanos;
  }

  /** Taken from the idle pool. */
  void markReused() {
    fromPool = true;
  }

  /** Hands the connection to a request until {@link #recycle()} or {@link #close()}. */
  void attach(ConnectionListener listener) {
    this.listener = listener;
    this.failure = null;
  }

  /**
   * The connection is clean (response complete, origin keeps it open): back to the pool for the
   * next request.
   */
  void recycle() {
    endLease();
    listener = null;
    pool.release(this);
  }

  /** Closes the connection; the request using it, if any, hears nothing more. */
  void close() {
    endLease();
    listener = null;
    channel.close();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    decoder = ctx.pipeline().get(OriginResponseDecoder.class);
    responseTimer = new ResponseTimer(channel.eventLoop());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (listener != null && msg instanceof HttpObject http) {
      listener.onRead(http);
    } else {
      ReferenceCountUtil.release(msg);
      ctx.close();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (listener != null) {
      listener.onReadComplete();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    responseTimer.close();
    ConnectionListener l = listener;
    listener = null;
    if (l != null) {
      l.onClosed(failure);
    } else {
      pool.remove(this);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    failure = cause;
    ctx.close();
  }
}
