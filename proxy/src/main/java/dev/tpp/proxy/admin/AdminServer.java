package dev.tpp.proxy.admin;

import dev.tpp.config.Endpoint;
import dev.tpp.proxy.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** The admin listener: its own single loop ({@code tpp-admin}), apart from the workers. */
public final class AdminServer implements AutoCloseable {
  private final MultiThreadIoEventLoopGroup group;
  private final Channel channel;

  private AdminServer(MultiThreadIoEventLoopGroup group, Channel channel) {
    this.group = group;
    this.channel = channel;
  }

  public static AdminServer start(Endpoint endpoint, Transport transport, AdminState state)
      throws InterruptedException {
    MultiThreadIoEventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("tpp-admin", true), transport.ioHandlerFactory());
    AdminHandler handler = new AdminHandler(state);
    try {
      Channel ch =
          new ServerBootstrap()
              .group(group)
              .channel(transport.serverChannel())
              .option(ChannelOption.SO_REUSEADDR, true)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline()
                          .addLast(
                              new HttpServerCodec(4096, 8192, 8192),
                              new HttpObjectAggregator(8192),
                              handler);
                    }
                  })
              .bind(endpoint.address(), endpoint.port())
              .sync()
              .channel();
      return new AdminServer(group, ch);
    } catch (InterruptedException | RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
