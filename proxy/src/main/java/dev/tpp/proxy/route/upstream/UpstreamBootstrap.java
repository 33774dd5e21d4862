package dev.tpp.proxy.route.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.resolver.NoopAddressResolverGroup;
import java.time.Duration;

/**
 * How connections to origins are made: on the client's own event loop, with the client socket's
 * transport (io_uring, epoll or NIO: a channel can only register on a loop of its own kind),
 * AUTO_READ off so the response is read only as fast as the client takes it (Netty's {@code
 * example/proxy}). Endpoint addresses are resolved off the loops ({@link EndpointResolver}), so no
 * DNS lookup ever runs here.
 */
final class UpstreamBootstrap {
  private UpstreamBootstrap() {}

  /** A bootstrap for {@code loop}, whose channels are of the same transport as {@code client}. */
  static Bootstrap forLoop(EventLoop loop, Channel client, Duration connectTimeout) {
    return new Bootstrap()
        .group(loop)
        .channel(socketClassOf(client))
        .resolver(NoopAddressResolverGroup.INSTANCE)
        .option(
            ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.TCP_NODELAY, true);
  }

  /** The client-side socket class matching the transport of an accepted {@code client} channel. */
  static Class<? extends SocketChannel> socketClassOf(Channel client) {
    Channel socket =
        client.parent() instanceof SocketChannel
            ? client.parent()
            : client; // an HTTP/2 stream's socket
    if (socket instanceof IoUringSocketChannel) {
      return IoUringSocketChannel.class;
    }
    return socket instanceof EpollSocketChannel ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  static ChannelInitializer<Channel> initializer(UpstreamConnectionPool pool) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline()
            .addLast("decoder", new OriginResponseDecoder())
            .addLast("connection", new UpstreamConnection(pool));
      }
    };
  }
}
