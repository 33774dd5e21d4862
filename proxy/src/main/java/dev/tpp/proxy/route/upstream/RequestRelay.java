package dev.tpp.proxy.route.upstream;

import dev.tpp.proxy.http.BodyListener;
import dev.tpp.proxy.http.HttpExchange;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.concurrent.Future;

/**
 * Sends the request to the origin: the head, then the body one chunk at a time, pulling the next
 * chunk from the client only once the previous one was written to the origin socket — a slow origin
 * slows the client, nothing is buffered whole. The head comes encoded ({@link ProxiedRequest}); the
 * body goes as it came, framed as chunks here when its length is unknown ({@link ChunkFraming}).
 * Runs on the exchange's loop; each pulled chunk is handed to the upstream channel, which releases
 * it once written (or the relay releases it when the call already ended).
 */
final class RequestRelay implements BodyListener, ChannelFutureListener {
  private final UpstreamCall call;
  private final HttpExchange exchange;
  private final Channel upstream;
  private boolean chunked;
  private boolean complete;

  RequestRelay(UpstreamCall call, HttpExchange exchange, Channel upstream) {
    this.call = call;
    this.exchange = exchange;
    this.upstream = upstream;
  }

  /** True once the whole request, body included, was written to the origin. */
  boolean isComplete() {
    return complete;
  }

  /** {@code head}: the encoded head; {@code chunked}: it announced a chunked body. */
  void start(ByteBuf head, boolean chunked) {
    this.chunked = chunked;
    if (exchange.body().length() == 0) {
      // One buffer, one promise and one flush for the whole request.
      upstream.writeAndFlush(head).addListener(this); // operationComplete: the last write
      return;
    }
    upstream
        .writeAndFlush(head)
        .addListener(
            (ChannelFuture f) -> {
              if (!f.isSuccess()) {
                writeFailed();
              } else if (!call.isDone()) {
                exchange.body().read(this);
              }
            });
  }

  @Override
  public void onChunk(ByteBuf chunk, boolean last) {
    if (call.isDone()) {
      chunk.release();
      return;
    }
    ByteBuf framed = chunk;
    if (chunked) {
      framed =
          last
              ? ChunkFraming.last(chunk, upstream.alloc())
              : ChunkFraming.chunk(chunk, upstream.alloc());
    }
    upstream
        .writeAndFlush(framed)
        .addListener(
            (ChannelFuture f) -> {
              if (!f.isSuccess()) {
                writeFailed();
              } else if (last) {
                lastWritten(f);
              } else if (!call.isDone()) {
                exchange.body().read(this);
              }
            });
  }

  @Override
  public void onError(Throwable cause) {
    call.clientGone();
  }

  /** The request's last write finished. */
  @Override
  public void operationComplete(ChannelFuture f) {
    lastWritten(f);
  }

  private void lastWritten(Future<? super Void> f) {
    if (!f.isSuccess()) {
      writeFailed();
      return;
    }
    complete = true;
    call.requestSent();
  }

  private void writeFailed() {
    // The origin went away while we sent; closing reports it to the call (retry or 502) via
    // onClosed.
    upstream.close();
  }
}
