package dev.tpp.proxy.server;

import dev.tpp.config.AcceptConfig;
import dev.tpp.config.Endpoint;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data-port listening sockets. With {@code reusePort} (epoll only) one SO_REUSEPORT socket per worker, each
 * registered on its worker's loop, which also serves the connections it accepts — nginx's model. Otherwise one
 * acceptor thread ({@code tpp-acceptor}) hands each connection to the least-loaded worker.
 */
final class Listeners {
  private static final Logger log = LoggerFactory.getLogger("tpp.server");

  private final List<Channel> channels = new ArrayList<>();
  private MultiThreadIoEventLoopGroup acceptor;
  private final int port;

  Listeners(Endpoint listen, AcceptConfig accept, Transport transport, Workers workers,
      ProxyChannelInitializer.Factory initializers) throws InterruptedException {
    boolean reusePort = accept.reusePort() && transport.supportsReusePort();
    if (accept.reusePort() && !reusePort) {
      log.warn("event=reuse_port_unavailable transport={} fallback=least_loaded_acceptor", transport.name());
    }
    int boundPort = listen.port();
    if (reusePort) {
      for (EventLoop loop : workers.loops()) {
        Channel ch = bootstrap(transport, initializers.create(true))
            .group(loop, loop)
            .option(EpollChannelOption.SO_REUSEPORT, true)
            .bind(listen.address(), boundPort).sync().channel();
        boundPort = ((InetSocketAddress) ch.localAddress()).getPort();
        channels.add(ch);
      }
    } else {
      acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tpp-acceptor", false),
          transport.ioHandlerFactory());
      Channel ch = bootstrap(transport, initializers.create(false))
          .group(acceptor, workers.group())
          .bind(listen.address(), boundPort).sync().channel();
      boundPort = ((InetSocketAddress) ch.localAddress()).getPort();
      channels.add(ch);
    }
    this.port = boundPort;
    log.info("event=listening address={} port={} sockets={} mode={}", listen.address(), port, channels.size(),
        reusePort ? "reuse_port" : "least_loaded_acceptor");
  }

  private static ServerBootstrap bootstrap(Transport transport, ProxyChannelInitializer initializer) {
    return new ServerBootstrap()
        .channel(transport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(initializer);
  }

  int port() {
    return port;
  }

  /** Stops accepting: closes the listening sockets (connections already accepted go on). */
  void close() {
    for (Channel ch : channels) {
      ch.close().syncUninterruptibly();
    }
    if (acceptor != null) {
      acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }
}
