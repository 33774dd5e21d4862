package dev.tpp.proxy.route.files;

import dev.tpp.config.RouteAction;
import dev.tpp.proxy.http.HttpExchange;
import dev.tpp.proxy.pool.OffloadPool;
import dev.tpp.proxy.route.RouteHandler;
import dev.tpp.proxy.statics.LastModified;
import dev.tpp.proxy.statics.SafePath;
import dev.tpp.proxy.statics.StaticRequest;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.handler.codec.http.HttpContentEncoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import java.util.Objects;

/**
 * The {@code files} route: serves GET and HEAD for files under the route's root (nginx {@code root}
 * + {@code sendfile}), with Last-Modified/If-Modified-Since, single byte ranges and no directory
 * listings.
 *
 * <p>{@link #handle} runs on the exchange's event loop and does string work only ({@link
 * StaticRequest#accept}). Every filesystem call — realpath, stat, open — runs in the route's {@link
 * OffloadPool} ({@link FileLookup}); the open channel comes back to the loop inside a {@link
 * FileReply}, which writes the head and then the body as a {@link DefaultFileRegion} (sendfile,
 * zero-copy) or, where that is impossible, through {@link PooledFileWriter}. The loop closes the
 * file on every path: write done, write failed, exchange ended ({@link HttpExchange#onEnd}), or
 * client gone before the reply arrived.
 */
public final class FilesHandler implements RouteHandler {
  private final SafePath paths;
  private final OffloadPool pool;

  /**
   * {@code pool} must be the pool named by {@code config.pool()}; it is owned (and drained) by the
   * server.
   */
  public FilesHandler(RouteAction.Files config, OffloadPool pool) {
    this.paths = new SafePath(config.root(), "index.html");
    this.pool = pool;
  }

  @Override
  public void handle(HttpExchange exchange) {
    StaticRequest request = StaticRequest.accept(exchange);
    if (request == null) {
      return;
    }
    pool.submit(
        exchange.loop(),
        new FileLookup(paths, request),
        (reply, failure) -> {
          if (!StaticRequest.stillWanted(exchange)) { // the client left while the pool worked
            if (reply != null) {
              reply.closeFile();
            }
          } else if (failure != null) {
            StaticRequest.fail(exchange, failure);
          } else {
            respond(
                exchange,
                Objects.requireNonNull(reply, "the pool gives a result when there is no failure"));
          }
        });
  }

  private void respond(HttpExchange exchange, FileReply reply) {
    exchange.onEnd(reply::closeFile); // however the exchange ends from here on, the file is closed
    switch (reply.status()) {
      case 304 -> exchange.send(LastModified.notModifiedResponse(reply.lastModified()));
      case 416 -> exchange.send(reply.unsatisfiable(exchange.ctx().alloc()));
      default -> stream(exchange, reply);
    }
  }

  private void stream(HttpExchange exchange, FileReply reply) {
    exchange.writeHead(reply.head());
    if (reply.file() == null || reply.bodyLength() == 0) { // HEAD, or an empty file
      reply.closeFile();
      exchange.writeLast(LastHttpContent.EMPTY_LAST_CONTENT);
    } else if (zeroCopy(exchange.ctx())) {
      // the transport releases the region (closing the file) once written or failed; closing twice
      // is harmless
      exchange
          .write(new DefaultFileRegion(reply.file(), reply.bodyStart(), reply.bodyLength()))
          .addListener(f -> reply.closeFile());
      exchange.writeLast(LastHttpContent.EMPTY_LAST_CONTENT);
    } else {
      new PooledFileWriter(exchange, pool, reply).start();
    }
  }

  /**
   * sendfile needs plain bytes to a socket: no TLS, no compressor, a transport that implements
   * FileRegion (io_uring does it with splice, where the kernel has it).
   */
  static boolean zeroCopy(ChannelHandlerContext ctx) {
    Channel channel = ctx.channel();
    ChannelPipeline pipeline = ctx.pipeline();
    boolean regions =
        channel instanceof EpollSocketChannel
            || channel instanceof NioSocketChannel
            || (channel instanceof IoUringSocketChannel && IoUring.isSpliceSupported());
    return regions
        && pipeline.get(SslHandler.class) == null
        && pipeline.get(HttpContentEncoder.class) == null;
  }
}
