package dev.tpp.proxy.route.upstream;

import dev.tpp.config.UpstreamConfig;
import dev.tpp.proxy.http.ExchangeOwner;
import dev.tpp.proxy.http.HttpExchange;
import dev.tpp.proxy.http.StreamingBody;
import dev.tpp.proxy.testing.LoopGuard;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@link UpstreamHandler} behind a minimal front end shaped like the proxy's dispatcher
 * (AUTO_READ off, one decoded message per read, {@link StreamingBody}), for what the real server
 * does not let a test choose or see: the transport (epoll or NIO), the number of loops, the idle
 * connections of each loop. Its loops run under BlockHound in integration tests like the real
 * server's.
 */
final class ProxyHarness implements AutoCloseable {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Upstream upstream;
  private final EventLoopGroup group;
  private final Channel server;

  ProxyHarness(UpstreamConfig config) throws InterruptedException {
    this(config, true, 1);
  }

  /**
   * {@code epoll} false: the NIO transport, whose upstream sockets must then be NIO too; {@code
   * loops}: event loops, to which accepted connections go in turn.
   */
  ProxyHarness(UpstreamConfig config, boolean epoll, int loops) throws InterruptedException {
    this(config, epoll, loops, new EndpointDirectory());
  }

  /**
   * {@code endpoints}: where an endpoints file, if the test has one, delivers sets to the upstream.
   */
  ProxyHarness(UpstreamConfig config, boolean epoll, int loops, EndpointDirectory endpoints)
      throws InterruptedException {
    LoopGuard.installIfEnabled();
    LoopGuard.reset();
    upstream = new Upstream(config, registry, endpoints);
    UpstreamHandler handler = new UpstreamHandler(upstream);
    // Named like the proxy's workers, so BlockHound (LoopGuard) checks these loops as it checks the
    // real server's.
    group =
        new MultiThreadIoEventLoopGroup(
            loops,
            new DefaultThreadFactory("tpp-worker-harness"),
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    server =
        new ServerBootstrap()
            .group(group)
            .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
            .childOption(ChannelOption.AUTO_READ, false)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(
                            new HttpServerCodec(), new FlowControlHandler(), new Front(handler));
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  EventLoop loop() {
    return server.eventLoop();
  }

  /** The idle upstream connections of each loop, read on that loop. */
  List<Integer> idlePerLoop() throws Exception {
    List<Integer> sizes = new ArrayList<>();
    for (EventExecutor e : group) {
      EventLoop loop = (EventLoop) e;
      sizes.add(loop.submit(() -> upstream.idleChannels(loop).size()).get(5, TimeUnit.SECONDS));
    }
    return sizes;
  }

  double count(String outcome) {
    return registry.get("tpp.upstream.requests").tag("outcome", outcome).counter().count();
  }

  /** Stops the harness; fails the test when one of its loops made a blocking call meanwhile. */
  @Override
  public void close() {
    upstream.close();
    server.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    if (!LoopGuard.violations().isEmpty()) {
      throw new AssertionError("blocking calls on event loops: " + LoopGuard.violations());
    }
  }

  private static final class Front extends ChannelInboundHandlerAdapter implements ExchangeOwner {
    private final UpstreamHandler handler;
    private ChannelHandlerContext ctx;
    private HttpExchange exchange;
    private StreamingBody body;
    private boolean readPending;

    Front(UpstreamHandler handler) {
      this.handler = handler;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      this.ctx = ctx;
      read();
    }

    private void read() {
      readPending = true;
      ctx.read();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (readPending) {
        ctx.read(); // the socket gave a partial message: keep reading until one is whole
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      readPending = false;
      if (msg instanceof HttpRequest request) {
        long length =
            HttpUtil.isTransferEncodingChunked(request)
                ? -1
                : HttpUtil.getContentLength(request, 0L);
        body = new StreamingBody(length, this::read);
        exchange = new HttpExchange(ctx, request, request.uri(), "t", null, body, this);
        handler.handle(exchange);
      } else if (msg instanceof HttpContent content && body != null) {
        body.onContent(content);
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void beforeHead(HttpExchange exchange, HttpResponse head) {}

    @Override
    public void responseComplete(HttpExchange done) {
      done.ended();
      body.discardThen(
          () -> {
            exchange = null;
            body = null;
            read();
          });
    }

    @Override
    public void abort(HttpExchange aborted, Throwable cause) {
      aborted.ended();
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (body != null) {
        body.onClosed();
      }
      if (exchange != null) {
        exchange.ended();
      }
    }
  }
}
