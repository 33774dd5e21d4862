package dev.tpp.proxy.route.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The idle keepalive connections to one {@link UpstreamEndpoint} on one event loop, most recently
 * used first, at most {@code maxIdle} of them. New connections are made on the same loop ({@link
 * UpstreamBootstrap}), so a request's client and origin sockets share one thread and nothing here
 * needs a lock. Every method runs on {@link #loop()}, except that {@link UpstreamEndpoint#remove()}
 * schedules {@link #close()} there.
 */
final class UpstreamConnectionPool {
  private final UpstreamEndpoint endpoint;
  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final int maxIdle;
  private final Deque<UpstreamConnection> idle = new ArrayDeque<>();
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
  UpstreamConnection poll() {
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
   * Parks a connection whose response was complete, or closes it when the pool is full or closed.
   */
  void release(UpstreamConnection connection) {
    if (closed || idle.size() >= maxIdle || !connection.channel().isActive()) {
      connection.channel().close();
      return;
    }
    idle.addFirst(connection);
    // AUTO_READ is off: a pending read is what lets the transport notice the origin closing an idle
    // connection.
    connection.channel().read();
  }

  /** The origin closed an idle connection. */
  void remove(UpstreamConnection connection) {
    idle.remove(connection);
  }

  /** Closes the idle connections; connections released later are closed too. */
  void close() {
    closed = true;
    UpstreamConnection c;
    while ((c = idle.pollFirst()) != null) {
      c.channel().close();
    }
  }
}
