package dev.tpp.proxy.http2;

import dev.tpp.proxy.testing.ThreadDump;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP/2 client over TLS that behaves as RFC 9113 asks on GOAWAY (Netty's codec): streams up to
 * the announced last one finish; a stream that could not be opened (the connection is going away)
 * or that the server refused (REFUSED_STREAM, never processed) is retried on a new connection.
 * Anything else is a failure. java.net.http of JDK 17 fails every stream of a connection on any
 * GOAWAY, so it cannot measure a graceful drain. Tests only.
 */
final class H2LoadClient implements AutoCloseable {
  /**
   * A request's end: its status and body, or why it failed; {@code retry} when it was never
   * processed.
   */
  record Result(int status, String body, String failure, boolean retry) {}

  private final MultiThreadIoEventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final SslContext ssl;
  private final int port;
  // Set by the test threads (one at a time: connect() is synchronized), cleared by them and by
  // the client's event loop (a failed write's listener). The loop never takes the monitor: a test
  // thread holds it while it waits for that very loop to finish connecting.
  private final AtomicReference<@Nullable Channel> connection = new AtomicReference<>();

  /** Requests retried because their connection closed before their HEADERS were written. */
  final AtomicLong unsent = new AtomicLong();

  /** Requests retried in all (never processed by the server). */
  final AtomicLong retried = new AtomicLong();

  H2LoadClient(int port) throws Exception {
    this.port = port;
    this.ssl =
        SslContextBuilder.forClient()
            .trustManager(InsecureTrustManagerFactory.INSTANCE)
            .applicationProtocolConfig(
                new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    ApplicationProtocolNames.HTTP_2))
            .build();
  }

  /** GET {@code path}; retried (at most 5 times) only when the server never processed it. */
  Result get(String path) throws Exception {
    Result r = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      r = once(path);
      if (!r.retry()) {
        return r;
      }
      retried.incrementAndGet();
    }
    return r;
  }

  private Result once(String path) throws Exception {
    Channel parent = connection();
    Future<Http2StreamChannel> opened = new Http2StreamChannelBootstrap(parent).open().await();
    if (!opened.isSuccess()) {
      dropIf(parent);
      return new Result(0, null, "open: " + opened.cause(), true);
    }
    CompletableFuture<Result> done = new CompletableFuture<>();
    Http2StreamChannel stream = opened.getNow();
    // Taken now: once the connection has closed, its pipeline no longer holds the codec (a stream
    // that ends then
    // must still be judged against the GOAWAY it saw, not fail the test client with a
    // NullPointerException).
    Http2FrameCodec codec = parent.pipeline().get(Http2FrameCodec.class);
    if (codec == null) { // closed since the stream opened: nothing was sent on it
      dropIf(parent);
      stream.close();
      return new Result(0, null, "connection closed before the request", true);
    }
    Http2Connection h2 = codec.connection();
    stream
        .pipeline()
        .addLast(
            new SimpleChannelInboundHandler<Object>() {
              int status;
              final StringBuilder body = new StringBuilder();

              @Override
              protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof Http2HeadersFrame h) {
                  status = Integer.parseInt(h.headers().status().toString());
                  if (h.isEndStream()) {
                    done.complete(new Result(status, body.toString(), null, false));
                  }
                } else if (msg instanceof Http2DataFrame d) {
                  body.append(d.content().toString(StandardCharsets.UTF_8));
                  if (d.isEndStream()) {
                    done.complete(new Result(status, body.toString(), null, false));
                  }
                }
              }

              @Override
              public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                if (event instanceof Http2ResetFrame reset) {
                  boolean refused = reset.errorCode() == Http2Error.REFUSED_STREAM.code();
                  done.complete(new Result(0, null, "RST_STREAM " + reset.errorCode(), refused));
                }
              }

              @Override
              public void channelInactive(ChannelHandlerContext ctx) {
                // Never processed, so it may be retried: past the last stream id of a GOAWAY (RFC
                // 9113 §6.8), or without a stream id at all: the connection closed before the
                // HEADERS were written (the id is taken when they are), so nothing was sent
                int id = stream.stream().id();
                boolean unprocessed =
                    id <= 0 || (h2.goAwayReceived() && id > h2.local().lastStreamKnownByPeer());
                if (id <= 0) {
                  unsent.incrementAndGet();
                }
                done.complete(
                    new Result(
                        0,
                        null,
                        String.format(
                            "stream %d closed before its end at %s (goaway_received=%b"
                                + " last_known_by_peer=%d, %s, ended by: %s)",
                            id,
                            Instant.now(),
                            h2.goAwayReceived(),
                            h2.local().lastStreamKnownByPeer(),
                            parent,
                            parent.attr(ConnectionEnd.SEEN).get()),
                        unprocessed));
              }
            });
    DefaultHttp2Headers headers = new DefaultHttp2Headers();
    headers.method("GET").scheme("https").path(path).authority("127.0.0.1:" + port);
    stream
        .writeAndFlush(new DefaultHttp2HeadersFrame(headers, true))
        .addListener(
            f -> {
              if (!f.isSuccess()) { // not sent: the connection is going away (a GOAWAY came first),
                // so never processed
                dropIf(parent);
                done.complete(new Result(0, null, "write: " + f.cause(), true));
              }
            });
    try {
      return done.get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      // the client's view of the stalled stream, to hold against the proxy's log lines
      String state =
          String.format(
              "stream %d %s active=%b on %s active=%b goaway_received=%b last_known_by_peer=%d"
                  + " active_streams=%d",
              stream.stream().id(),
              stream.stream().state(),
              stream.isActive(),
              parent,
              parent.isActive(),
              h2.goAwayReceived(),
              h2.local().lastStreamKnownByPeer(),
              h2.numActiveStreams());
      ThreadDump.print("no answer in 30 s: " + state);
      throw new TimeoutException(state);
    }
  }

  private Channel connection() throws Exception {
    Channel c = connection.get();
    return c != null && c.isActive() ? c : connect();
  }

  private synchronized Channel connect() throws Exception {
    Channel c = connection.get();
    if (c == null || !c.isActive()) {
      c =
          new Bootstrap()
              .group(group)
              .channel(NioSocketChannel.class)
              .handler(
                  new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ch.pipeline()
                          .addLast(
                              new ConnectionEnd(),
                              ssl.newHandler(ch.alloc(), "127.0.0.1", port),
                              new ConnectionEnd(),
                              Http2FrameCodecBuilder.forClient().build(),
                              new Http2MultiplexHandler(
                                  new SimpleChannelInboundHandler<Object>() {
                                    @Override
                                    protected void channelRead0(
                                        ChannelHandlerContext ctx, Object msg) {}
                                  }));
                    }
                  })
              .connect("127.0.0.1", port)
              .sync()
              .channel();
      connection.set(c);
    }
    return c;
  }

  /** Any thread, the client's event loop too: takes no lock. */
  private void dropIf(Channel parent) {
    connection.compareAndSet(parent, null);
  }

  /**
   * Notes how the server ended a connection, for a failure's message: a socket error (a reset
   * discards what the client had not read yet, a GOAWAY among it) seen in front of TLS, and TLS's
   * {@code close_notify} seen behind it. On the connection's event loop.
   */
  private static final class ConnectionEnd extends ChannelInboundHandlerAdapter {
    static final AttributeKey<String> SEEN = AttributeKey.valueOf("h2load.connectionEnd");

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.channel().attr(SEEN).setIfAbsent(cause.toString());
      ctx.fireExceptionCaught(cause);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof SslCloseCompletionEvent) {
        ctx.channel().attr(SEEN).setIfAbsent("TLS close_notify");
      }
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
