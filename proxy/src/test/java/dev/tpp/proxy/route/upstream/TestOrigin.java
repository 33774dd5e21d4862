package dev.tpp.proxy.route.upstream;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny real origin on an ephemeral loopback port, one behaviour per path: {@code /echo} records
 * the request and the SHA-256 of its body; {@code /download?bytes=N} streams N seeded random bytes,
 * chunked (pausing after the first MiB until {@link #downloadGate} opens); {@code /hop} answers
 * with hop-by-hop headers; {@code /bighead} with a 10 KB header; {@code /cut} closes after 10 of
 * 1000 bytes; {@code /hang} never answers; {@code /close-reused} closes a connection it already
 * answered on instead of answering; {@code /close-after} answers with keep-alive, then closes.
 */
final class TestOrigin implements AutoCloseable {
  /** What the origin saw of one request. */
  record Seen(
      String method,
      String uri,
      HttpHeaders headers,
      long bodyLength,
      String sha256,
      int connection) {}

  final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
  final AtomicInteger connections = new AtomicInteger();
  final BlockingQueue<Channel> closedConnections = new LinkedBlockingQueue<>();
  final CountDownLatch firstUploadBytes = new CountDownLatch(1);
  volatile CountDownLatch downloadGate = new CountDownLatch(0);

  /**
   * The status of the plain text answers ({@code /echo} and most others); 503 makes a failing
   * origin.
   */
  volatile int status = 200;

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;

  TestOrigin() throws InterruptedException {
    this(0);
  }

  /**
   * An origin on {@code port} (0: an ephemeral one), for a test that stops an origin and starts it
   * again.
   */
  TestOrigin(int port) throws InterruptedException {
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    int id = connections.incrementAndGet();
                    ch.closeFuture().addListener(f -> closedConnections.add(ch));
                    ch.pipeline().addLast(new HttpServerCodec(), new Behaviour(id));
                  }
                })
            .bind("127.0.0.1", port)
            .sync()
            .channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void close() {
    downloadGate.countDown();
    server.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new java.util.Random(n).nextBytes(b);
    return b;
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private final class Behaviour extends SimpleChannelInboundHandler<HttpObject> {
    private final int connection;
    private int answered;
    private HttpRequest request;
    private MessageDigest digest;
    private long length;

    Behaviour(int connection) {
      this.connection = connection;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) throws Exception {
      if (msg instanceof HttpRequest r) {
        request = r;
        digest = MessageDigest.getInstance("SHA-256");
        length = 0;
      }
      if (msg instanceof HttpContent c) {
        length += c.content().readableBytes();
        if (c.content().isReadable()) {
          firstUploadBytes.countDown();
        }
        digest.update(c.content().nioBuffer());
        if (c instanceof LastHttpContent) {
          String sha = HexFormat.of().formatHex(digest.digest());
          seen.add(
              new Seen(
                  request.method().name(),
                  request.uri(),
                  request.headers().copy(),
                  length,
                  sha,
                  connection));
          respond(ctx);
        }
      }
    }

    private void respond(ChannelHandlerContext ctx) {
      String path = request.uri().replaceAll("\\?.*", "");
      switch (path) {
        case "/hang" -> {}
        case "/close-reused" -> {
          if (answered++ > 0) {
            ctx.close();
          } else {
            ctx.writeAndFlush(text("first"));
          }
        }
        case "/bighead" -> {
          FullHttpResponse r = text("big");
          r.headers().set("X-Big", "x".repeat(10_000));
          ctx.writeAndFlush(r);
        }
        case "/cut" -> {
          HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
          head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 1000);
          ctx.write(head);
          ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[10])))
              .addListener(f -> ctx.close());
        }
        case "/close-after" -> ctx.writeAndFlush(text("bye")).addListener(f -> ctx.close());
        case "/download" ->
            download(ctx, Integer.parseInt(request.uri().replaceAll(".*bytes=", "")));
        case "/hop" -> {
          FullHttpResponse r = text("hop");
          r.headers()
              .add(HttpHeaderNames.CONNECTION, "keep-alive, X-Resp-Hop")
              .add("X-Resp-Hop", "1")
              .add(HttpHeaderNames.KEEP_ALIVE, "timeout=5")
              .add(HttpHeaderNames.PROXY_AUTHENTICATE, "Basic")
              .add("X-End", "1");
          ctx.writeAndFlush(r);
        }
        default -> ctx.writeAndFlush(text("echo " + request.method() + " " + length));
      }
    }

    private FullHttpResponse text(String body) {
      ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
      FullHttpResponse r =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), content);
      r.headers()
          .set("X-Origin", "test")
          .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
      return r;
    }

    /** Chunked (no length), 64 KiB at a time, each after the previous was flushed. */
    private void download(ChannelHandlerContext ctx, int size) {
      HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      HttpUtil.setTransferEncodingChunked(head, true);
      ctx.write(head);
      sendFrom(ctx, bytes(size), 0);
    }

    private void sendFrom(ChannelHandlerContext ctx, byte[] data, int offset) {
      if (offset == 1 << 20 && downloadGate.getCount() > 0) {
        CountDownLatch gate = downloadGate;
        CompletableFuture.runAsync(() -> awaitQuietly(gate))
            .thenRun(() -> ctx.executor().execute(() -> sendFrom(ctx, data, offset)));
        return;
      }
      if (offset >= data.length) {
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        return;
      }
      int n = Math.min(64 * 1024, data.length - offset);
      ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(data, offset, n)))
          .addListener(
              f -> {
                if (f.isSuccess()) {
                  sendFrom(ctx, data, offset + n);
                }
              });
    }
  }

  private static void awaitQuietly(CountDownLatch gate) {
    try {
      gate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
