package dev.tpp.proxy.route.upstream;

import dev.tpp.proxy.clock.LoopClock;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The idle keepalive connections to one {@link UpstreamEndpoint} on one event loop, most recently
 * used first: {@code maxIdle} of them for as long as the origin keeps them, and beyond that the
 * surplus of a burst for {@link #SURPLUS_GRACE_NANOS} (least recently used first out). New
 * connections are made on the same loop ({@link UpstreamBootstrap}), so a request's client and
 * origin sockets share one thread and nothing here needs a lock. Every method runs on {@link
 * #loop()}, except that {@link UpstreamEndpoint#remove()} schedules {@link #close()} there.
 *
 * <p>Why a grace: with more requests in flight than {@code maxIdle} (500 HTTP/2 streams against 64,
 * say), responses come back in batches, one epoll wake-up each, and the next requests in the next
 * batches. Closing every connection beyond {@code maxIdle} as it comes back, as nginx's {@code
 * keepalive} does, meant that each such batch closed connections the next batch opened again: in
 * bench scenario h2, 0.65 origin connects per proxied request (0.02 with the grace).
 */
final class UpstreamConnectionPool {
  /**
   * How long a connection beyond {@code maxIdle} may stay idle before it is closed: many request
   * times under load, a moment for an origin after a burst.
   */
  static final long SURPLUS_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final UpstreamEndpoint endpoint;
  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final int maxIdle;
  private final Deque<UpstreamConnection> idle = new ArrayDeque<>();
  private @Nullable ScheduledFuture<?> trim; // pending while there is a surplus
  private boolean closed;

  UpstreamConnectionPool(
      UpstreamEndpoint endpoint, EventLoop loop, Bootstrap bootstrap, int maxIdle) {
    this.endpoint = endpoint;
    this.loop = loop;
    this.bootstrap = bootstrap.handler(UpstreamBootstrap.initializer(this));
    this.maxIdle = maxIdle;
  }

  EventLoop loop() {
    return loop;
  }

  UpstreamEndpoint endpoint() {
    return endpoint;
  }

  List<Channel> idleChannels() {
    return idle.stream().map(UpstreamConnection::channel).toList();
  }

  /** An idle connection that is still open, or null. */
  @Nullable UpstreamConnection poll() {
    UpstreamConnection c;
    while ((c = idle.pollFirst()) != null) {
      if (c.channel().isActive()) {
        c.markReused();
        return c;
      }
      c.channel().close();
    }
    return null;
  }

  /**
   * A new connection to the endpoint, completed on this loop; fails with the connect error or
   * timeout.
   */
  Future<UpstreamConnection> connect() {
    Promise<UpstreamConnection> promise = loop.newPromise();
    bootstrap
        .connect(endpoint.address())
        .addListener(
            (ChannelFuture f) -> {
              if (f.isSuccess()) {
                promise.setSuccess(f.channel().pipeline().get(UpstreamConnection.class));
              } else {
                promise.setFailure(f.cause());
              }
            });
    return promise;
  }

  /**
   * Parks a connection whose response was complete, or closes it when the pool is closed or keeps
   * none. A connection beyond {@code maxIdle} is parked too, and closed by {@link #trim()} if it
   * stays unused for the grace.
   */
  void release(UpstreamConnection connection) {
    if (closed || maxIdle == 0 || !connection.channel().isActive()) {
      connection.channel().close();
      return;
    }
    connection.idleSince(now());
    idle.addFirst(connection);
    // AUTO_READ is off: a pending read is what lets the transport notice the origin closing an idle
    // connection.
    connection.channel().read();
    if (idle.size() > maxIdle && trim == null) {
      trim = loop.schedule(this::trim, SURPLUS_GRACE_NANOS, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Closes the least recently used connections beyond {@code maxIdle} that stayed idle for the
   * grace; comes back for the rest of the surplus when it is due.
   */
  private void trim() {
    trim = null;
    long now = now();
    while (idle.size() > maxIdle) {
      long idleFor = now - idle.peekLast().idleSince();
      if (idleFor < SURPLUS_GRACE_NANOS) {
        trim = loop.schedule(this::trim, SURPLUS_GRACE_NANOS - idleFor, TimeUnit.NANOSECONDS);
        return;
      }
      idle.pollLast().channel().close();
    }
  }

  private long now() {
    return LoopClock.timerNanos(loop); // read once per loop turn
  }

  /** The origin closed an idle connection. */
  void remove(UpstreamConnection connection) {
    idle.remove(connection);
  }

  /** Closes the idle connections; connections released later are closed too. */
  void close() {
    closed = true;
    if (trim != null) {
      trim.cancel(false);
      trim = null;
    }
    UpstreamConnection c;
    while ((c = idle.pollFirst()) != null) {
      c.channel().close();
    }
  }
}
