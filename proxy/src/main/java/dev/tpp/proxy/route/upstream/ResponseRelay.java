package dev.tpp.proxy.route.upstream;

import dev.tpp.proxy.http.HttpExchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;

/**
 * Relays the origin's response to the client as it arrives. The upstream channel has AUTO_READ off:
 * the next socket read is asked for only once everything the previous one decoded was written to
 * the client, so a slow client slows the origin instead of filling memory. While a read is
 * outstanding (and the request was sent), a timer of {@code responseTimeout} runs: no head, or no
 * further body, within it ends the call as a timeout. To an HTTP/1.1 client connection (no
 * interceptor) the head is written as bytes copied from the origin's ({@link OriginHead}) and the
 * body pieces as they came, chunked here when the length is unknown ({@link ChunkFraming});
 * otherwise as Netty messages. Runs on the exchange's loop; decoded buffers pass straight to the
 * client channel, which releases them.
 */
final class ResponseRelay {
  private final UpstreamCall call;
  private final HttpExchange exchange;
  private final Channel upstream;
  private final ResponseTimer timer;
  private boolean requestSent;
  private boolean readPending;
  private boolean batchEnded;
  private int writesInFlight;
  private boolean started;
  private boolean encoded; // the response goes to the client as bytes framed here
  private boolean chunkForClient;
  private boolean originKeepsAlive;
  private boolean closeClientAfter;
  private boolean holding; // inside a read batch, the exchange's flushes held (holdFlushes)

  ResponseRelay(
      UpstreamCall call,
      HttpExchange exchange,
      UpstreamConnection connection,
      Duration responseTimeout) {
    this.call = call;
    this.exchange = exchange;
    this.upstream = connection.channel();
    this.timer = connection.responseTimer();
    timer.attach(responseTimeout, call::timedOut);
  }

  /** True once a (final) response head came from the origin. */
  boolean started() {
    return started;
  }

  void start() {
    requestRead(); // early: an origin may answer (413, 401...) before the request body is all sent
  }

  void requestSent() {
    requestSent = true;
    armTimer();
  }

  void stop() {
    timer.stop();
    if (holding) {
      // The call failed inside a read batch: no onReadComplete comes for it (the connection has
      // left the call), and what the exchange writes next must not wait for that batch's flush.
      holding = false;
      exchange.flushHeld();
    }
  }

  void onRead(HttpObject msg) {
    timer.notWaiting(); // the origin spoke
    if (call.isDone()) {
      ReferenceCountUtil.release(msg);
      return;
    }
    // What this read batch brings goes to the client in one flush, at onReadComplete, or when the
    // call ends inside the batch (stop).
    holding = true;
    exchange.holdFlushes();
    if (msg.decoderResult().isFailure()) {
      ReferenceCountUtil.release(msg);
      call.malformedResponse(msg.decoderResult().cause());
    } else if (msg instanceof OriginHead head) {
      onHead(head);
    } else if (msg instanceof HttpContent content) {
      onContent(content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  void onReadComplete() {
    holding = false;
    exchange
        .flushHeld(); // may complete writes, whose listeners find the batch not yet ended: no read
    // from there
    readPending = false;
    batchEnded = true;
    readMoreIfDrained();
  }

  private void onHead(OriginHead origin) {
    if (origin.isInterim()) {
      return; // 100 Continue and friends: the client gets only the final response
    }
    started = true;
    call.responded(origin.status());
    originKeepsAlive = origin.keepAlive();
    HttpRequest client = exchange.request();
    encoded = exchange.takesHttp1Bytes();
    if (encoded) {
      boolean unknown =
          ProxiedResponse.unknownLength(origin.status(), origin.contentLength() >= 0, client);
      chunkForClient = unknown && client.protocolVersion().equals(HttpVersion.HTTP_1_1);
      closeClientAfter = unknown && !chunkForClient;
      exchange.passHead(origin.forClient(chunkForClient)); // its write is the body's to track
    } else {
      HttpResponse head = ProxiedResponse.head(origin.toResponse(), client);
      closeClientAfter = ProxiedResponse.endsByClose(head, client);
      track(exchange.writeHead(head));
    }
  }

  private void onContent(HttpContent content) {
    if (content instanceof LastHttpContent) {
      // This batch gets no onReadComplete here once the call is over (the connection leaves it):
      // its held flushes end after the last write below, not in stop().
      boolean held = holding;
      holding = false;
      // The origin is done: settle its connection first, as the exchange may end inside writeLast.
      call.responseComplete(originKeepsAlive);
      // Trailers are dropped: the client side may not be chunked, and nginx does not pass them
      // either.
      ChannelFuture last =
          encoded
              ? exchange.passEncodedLast(framed(content.content(), true))
              : exchange.writeLast(
                  new DefaultLastHttpContent(content.content(), EmptyHttpHeaders.INSTANCE));
      if (held) {
        // Flushes nothing after a last write of our own; a WAF hold that kept the response back
        // writes it later, and those writes must not wait for a flush that no batch will give.
        exchange.flushHeld();
      }
      if (closeClientAfter) {
        last.addListener(f -> exchange.ctx().close());
      }
    } else if (encoded) {
      track(exchange.passEncoded(framed(content.content(), false)));
    } else {
      track(exchange.write(content));
    }
  }

  private ByteBuf framed(ByteBuf piece, boolean last) {
    if (!chunkForClient) {
      return piece;
    }
    ByteBufAllocator alloc = exchange.ctx().alloc();
    return last ? ChunkFraming.last(piece, alloc) : ChunkFraming.chunk(piece, alloc);
  }

  private void track(ChannelFuture write) {
    writesInFlight++;
    write.addListener(
        f -> {
          writesInFlight--;
          if (!f.isSuccess()) {
            call.clientGone();
          } else {
            readMoreIfDrained();
          }
        });
  }

  private void readMoreIfDrained() {
    if (batchEnded && writesInFlight == 0 && !readPending && !call.isDone()) {
      requestRead();
    }
  }

  private void requestRead() {
    batchEnded = false;
    readPending = true;
    armTimer();
    upstream.read();
  }

  private void armTimer() {
    if (requestSent && readPending && !call.isDone()) {
      timer.waiting();
    }
  }
}
