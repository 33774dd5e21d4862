package dev.tpp.proxy.route.files;

import dev.tpp.config.PoolConfig;
import dev.tpp.config.RouteAction;
import dev.tpp.config.RouteConfig;
import dev.tpp.proxy.http.ExchangeOwner;
import dev.tpp.proxy.http.HttpExchange;
import dev.tpp.proxy.http.RequestIds;
import dev.tpp.proxy.http.StreamingBody;
import dev.tpp.proxy.pool.OffloadPool;
import dev.tpp.proxy.pool.PoolMetrics;
import dev.tpp.proxy.route.RouteHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Runs a route handler on a real event loop, without the server: a LocalChannel pair whose server
 * side has an HTTP/1.1 codec and a tiny dispatcher that builds the {@link HttpExchange}, the client
 * side an HTTP client codec. LocalChannel has no FileRegion support, so the files route takes its
 * pooled-read path here (the real server's sendfile path is covered by the ITs). The pool is a real
 * {@link OffloadPool}.
 */
public final class RouteHarness implements AutoCloseable {
  /** What came back: the response (copied, nothing to release) and how the exchange ended. */
  public record Result(int status, HttpHeaders headers, byte[] body, String ending) {}

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
  private final LocalAddress address = new LocalAddress(LocalAddress.ANY.id() + System.nanoTime());
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final OffloadPool pool;
  private final RouteConfig route;
  private final Channel server;
  private volatile CompletableFuture<String> nextEnding = new CompletableFuture<>();

  /**
   * Serves {@code action} at {@code prefix}; the handler gets a pool {@code poolName} of one
   * thread.
   */
  public RouteHarness(
      String prefix,
      RouteAction action,
      String poolName,
      int maxQueue,
      Function<OffloadPool, RouteHandler> handler)
      throws InterruptedException {
    pool =
        new OffloadPool(
            new PoolConfig(poolName, 1, maxQueue, PoolConfig.Overflow.REJECT),
            PoolMetrics.factory(registry));
    route = new RouteConfig(prefix, prefix, "*", false, action);
    RouteHandler routeHandler = handler.apply(pool);
    server =
        new ServerBootstrap()
            .group(group)
            .channel(LocalServerChannel.class)
            .childHandler(
                new ChannelInitializer<LocalChannel>() {
                  @Override
                  protected void initChannel(LocalChannel ch) {
                    ch.pipeline()
                        .addLast(
                            new HttpRequestDecoder(),
                            new HttpResponseEncoder(),
                            new Dispatcher(routeHandler));
                  }
                })
            .bind(address)
            .sync()
            .channel();
  }

  public OffloadPool pool() {
    return pool;
  }

  /** tpp_pool_tasks_total of this harness's pool for {@code outcome}. */
  public double tasks(String outcome) {
    var counter = registry.find("tpp.pool.tasks").tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  public Result get(String uri, String... headerPairs) throws Exception {
    return send(HttpMethod.GET, uri, headerPairs);
  }

  public Result send(HttpMethod method, String uri, String... headerPairs) throws Exception {
    CompletableFuture<FullHttpResponse> response = new CompletableFuture<>();
    CompletableFuture<String> ending = new CompletableFuture<>();
    nextEnding = ending; // one connection at a time: the next exchange reports here
    Channel client = connect(response);
    HttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
    for (int i = 0; i < headerPairs.length; i += 2) {
      request.headers().set(headerPairs[i], headerPairs[i + 1]);
    }
    client.writeAndFlush(request);
    FullHttpResponse r = response.get(20, TimeUnit.SECONDS);
    try {
      return new Result(
          r.status().code(),
          r.headers(),
          ByteBufUtil.getBytes(r.content()),
          ending.get(20, TimeUnit.SECONDS));
    } finally {
      r.release();
      client.close().sync();
    }
  }

  /** Opens a connection whose single response completes {@code response} (copied, released). */
  public Channel connect(CompletableFuture<FullHttpResponse> response) throws InterruptedException {
    Channel client =
        new Bootstrap()
            .group(group)
            .channel(LocalChannel.class)
            .handler(
                new ChannelInitializer<LocalChannel>() {
                  @Override
                  protected void initChannel(LocalChannel ch) {
                    ch.pipeline()
                        .addLast(
                            new HttpClientCodec(),
                            new HttpObjectAggregator(16 << 20),
                            new SimpleChannelInboundHandler<FullHttpResponse>() {
                              @Override
                              protected void channelRead0(
                                  ChannelHandlerContext ctx, FullHttpResponse msg) {
                                response.complete(msg.retainedDuplicate());
                              }
                            });
                  }
                })
            .connect(address)
            .sync()
            .channel();
    return client;
  }

  /**
   * Linux: true while some descriptor of this process points at {@code file} (a leak check for
   * closers).
   */
  public static boolean openInThisProcess(Path file) throws IOException {
    Path real = file.toRealPath();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.anyMatch(
          fd -> {
            try {
              return Files.readSymbolicLink(fd).equals(real);
            } catch (IOException gone) {
              return false; // closed while we looked
            }
          });
    }
  }

  @Override
  public void close() throws Exception {
    server.close().sync();
    pool.shutdownNow();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  /**
   * One exchange per connection; reports how it ended to the future that was current when it
   * connected.
   */
  private final class Dispatcher extends ChannelInboundHandlerAdapter implements ExchangeOwner {
    private final RouteHandler handler;
    private final CompletableFuture<String> ending = nextEnding;
    private HttpExchange current;

    Dispatcher(RouteHandler handler) {
      this.handler = handler;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest request) {
        String uri = request.uri();
        int query = uri.indexOf('?');
        current =
            new HttpExchange(
                ctx,
                request,
                query < 0 ? uri : uri.substring(0, query),
                RequestIds.next(),
                route,
                new StreamingBody(0, () -> {}),
                this);
        handler.handle(current);
      }
      ReferenceCountUtil.release(msg);
    }

    @Override
    public boolean takesHttp1Bytes() {
      return false; // HttpServerCodec's encoder takes messages only
    }

    @Override
    public boolean isHttps() {
      return false;
    }

    @Override
    public String clientIp() {
      return "127.0.0.1";
    }

    @Override
    public void beforeHead(HttpExchange exchange, HttpResponse head) {}

    @Override
    public void responseComplete(HttpExchange exchange) {
      exchange.ended();
      ending.complete("complete");
    }

    @Override
    public void abort(HttpExchange exchange, Throwable cause) {
      exchange.ended();
      ending.complete("aborted: " + cause);
      exchange.ctx().close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (current != null && !current.isFinished()) {
        current.ended(); // as the dispatcher does for a client that left mid-exchange
      }
      ending.complete("client gone");
      ctx.fireChannelInactive();
    }
  }
}
