package dev.tpp.proxy.route.upstream;

import dev.tpp.proxy.http.HttpExchange;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;

/**
 * Relays the origin's response to the client as it arrives. The upstream channel has AUTO_READ off:
 * the next socket read is asked for only once everything the previous one decoded was written to
 * the client, so a slow client slows the origin instead of filling memory. While a read is
 * outstanding (and the request was sent), a timer of {@code responseTimeout} runs: no head, or no
 * further body, within it ends the call as a timeout. Runs on the exchange's loop; decoded buffers
 * pass straight to the client channel, which releases them.
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
  private boolean interim;
  private boolean originKeepsAlive;
  private boolean closeClientAfter;

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
  }

  void onRead(HttpObject msg) {
    timer.notWaiting(); // the origin spoke
    if (call.isDone()) {
      ReferenceCountUtil.release(msg);
    } else if (msg.decoderResult().isFailure()) {
      ReferenceCountUtil.release(msg);
      call.malformedResponse();
    } else if (msg instanceof HttpResponse head) {
      onHead(head);
    } else if (msg instanceof HttpContent content) {
      onContent(content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  void onReadComplete() {
    readPending = false;
    batchEnded = true;
    readMoreIfDrained();
  }

  private void onHead(HttpResponse origin) {
    if (origin.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
      interim = true; // 100 Continue and friends: the client gets only the final response
      return;
    }
    started = true;
    call.responded(origin.status().code());
    originKeepsAlive = HttpUtil.isKeepAlive(origin);
    HttpResponse head = ProxiedResponse.head(origin, exchange.request());
    closeClientAfter = ProxiedResponse.endsByClose(head, exchange.request());
    track(exchange.writeHead(head));
  }

  private void onContent(HttpContent content) {
    if (interim) {
      interim = !(content instanceof LastHttpContent);
      content.release();
    } else if (content instanceof LastHttpContent) {
      // The origin is done: settle its connection first, as the exchange may end inside writeLast.
      call.responseComplete(originKeepsAlive);
      // Trailers are dropped: the client side may not be chunked, and nginx does not pass them
      // either.
      ChannelFuture last = exchange.writeLast(new DefaultLastHttpContent(content.content()));
      if (closeClientAfter) {
        last.addListener(f -> exchange.ctx().close());
      }
    } else {
      track(exchange.write(content));
    }
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
