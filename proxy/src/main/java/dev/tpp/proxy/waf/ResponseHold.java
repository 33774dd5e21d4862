package dev.tpp.proxy.waf;

import dev.tpp.proxy.http.HttpExchange;
import dev.tpp.proxy.http.ResponseInterceptor;
import dev.tpp.waf.engine.ResponsePolicy;
import dev.tpp.waf.engine.WafResponse;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Holds a proxied response whose body the rules inspect (SecResponseBodyAccess On, its type listed)
 * until the WAF's phases 3 and 4 decided on it, so that a deny can still replace it: nothing
 * reaches the client before the verdict. The body is collected in memory up to {@code
 * SecResponseBodyLimit} (beyond it: Reject answers 500, ProcessPartial inspects the first bytes).
 * While an inspection runs, the futures handed back stay pending, which stops the upstream reading.
 * Any other response streams untouched while phases 3 and 5 inspect its head beside it (they can
 * then only log). Loop thread only; owns the held head and body pieces until it passes or releases
 * them.
 */
final class ResponseHold implements ResponseInterceptor {
  /**
   * Submits the inspection of a response snapshot; calls back on the loop with the status to
   * answer, 0 = pass. {@code enforceable} is false when the response already streams: the verdict
   * can then only be logged.
   */
  interface Inspection {
    void submit(WafResponse response, boolean enforceable, IntConsumer blockStatus);
  }

  private final HttpExchange exchange;
  private final ResponsePolicy policy;
  private final Inspection inspection;
  private final ArrayDeque<HttpContent> held = new ArrayDeque<>();
  private HttpResponse head;
  private LastHttpContent last;
  private long heldBytes;
  private boolean collecting;
  private boolean submitted;
  private boolean replaced;
  private ChannelPromise drained;
  private ChannelPromise lastWritten;

  ResponseHold(HttpExchange exchange, ResponsePolicy policy, Inspection inspection) {
    this.exchange = exchange;
    this.policy = policy;
    this.inspection = inspection;
  }

  @Override
  public ChannelFuture head(HttpResponse response) {
    head = response;
    collecting = policy.inspectsBodyOf(response.headers().get(HttpHeaderNames.CONTENT_TYPE));
    if (collecting) {
      return exchange.ctx().newSucceededFuture();
    }
    // No body to inspect: the response streams untouched; phases 3 and 5 run beside it and can only
    // log.
    exchange.interceptResponse(null);
    inspection.submit(snapshot(null), false, status -> {});
    return exchange.passHead(response);
  }

  @Override
  public ChannelFuture content(HttpContent content) {
    if (replaced) {
      content.release();
      return exchange.ctx().newSucceededFuture();
    }
    held.add(content);
    heldBytes += content.content().readableBytes();
    if (collecting && heldBytes > policy.bodyLimit()) {
      collecting = false;
      if (policy.rejectOverLimit()) {
        replace(500);
        return exchange.ctx().newSucceededFuture();
      }
      submit(body(policy.bodyLimit())); // ProcessPartial: the first bodyLimit bytes
    }
    if (collecting) {
      return exchange.ctx().newSucceededFuture(); // read on: the body is wanted whole
    }
    if (drained == null) {
      drained = exchange.ctx().newPromise();
    }
    return drained;
  }

  @Override
  public ChannelFuture last(LastHttpContent end) {
    if (replaced) {
      end.release();
      return exchange.ctx().newSucceededFuture();
    }
    last = end;
    heldBytes += end.content().readableBytes();
    lastWritten = exchange.ctx().newPromise();
    if (collecting) {
      collecting = false;
      if (policy.rejectOverLimit() && heldBytes > policy.bodyLimit()) {
        replace(500);
      } else {
        submit(body(policy.bodyLimit()));
      }
    }
    return lastWritten;
  }

  /** Frees whatever is still held: the exchange ended (client gone, aborted) before a verdict. */
  void release() {
    held.forEach(HttpContent::release);
    held.clear();
    if (last != null) {
      last.release();
      last = null;
    }
  }

  private void submit(byte[] body) {
    if (submitted) {
      return;
    }
    submitted = true;
    inspection.submit(
        snapshot(body),
        true,
        status -> {
          if (status > 0) {
            replace(status);
          } else {
            flush();
          }
        });
  }

  /** Loop: an immutable copy of the head (and the body, when inspected) for the pool. */
  private WafResponse snapshot(byte[] body) {
    List<Map.Entry<String, String>> headers = new ArrayList<>(head.headers().size());
    head.headers().forEach(e -> headers.add(Map.entry(e.getKey(), e.getValue())));
    long length =
        HttpUtil.getContentLength(head, body == null || last == null ? -1L : (long) body.length);
    return new WafResponse(
        head.status().code(), head.protocolVersion().text(), headers, body, length);
  }

  /** Up to {@code limit} bytes of what is held, copied for the pool. */
  private byte[] body(long limit) {
    int size = (int) Math.min(limit, heldBytes);
    byte[] out = new byte[size];
    int at = 0;
    List<ByteBuf> pieces = new ArrayList<>();
    held.forEach(c -> pieces.add(c.content()));
    if (last != null) {
      pieces.add(last.content());
    }
    for (ByteBuf piece : pieces) {
      int n = Math.min(piece.readableBytes(), size - at);
      piece.getBytes(piece.readerIndex(), out, at, n);
      at += n;
    }
    return out;
  }

  private void flush() {
    if (exchange
        .isFinished()) { // the client went away meanwhile: drop what is held and whatever still
      // comes
      replaced = true;
      release();
      complete(drained, true);
      complete(lastWritten, true);
      return;
    }
    exchange.interceptResponse(null); // what comes after the verdict streams straight through
    ChannelFuture written = exchange.passHead(head);
    while (!held.isEmpty()) {
      written = exchange.passContent(held.poll());
    }
    if (last != null) {
      LastHttpContent end = last;
      last =
          null; // the write may complete, and end the exchange (release()), before passLast returns
      exchange.passLast(end).addListener(f -> complete(lastWritten, f.isSuccess()));
    }
    ChannelPromise waiting = drained;
    written.addListener(f -> complete(waiting, f.isSuccess()));
  }

  private void replace(int status) {
    replaced = true;
    release();
    exchange.sendError(
        HttpResponseStatus.valueOf(status),
        "response blocked by the WAF (id " + exchange.requestId() + ")");
    complete(drained, true);
    complete(lastWritten, true);
  }

  private static void complete(ChannelPromise promise, boolean success) {
    if (promise != null) {
      if (success) {
        promise.trySuccess();
      } else {
        promise.tryFailure(new IOException("response could not be written"));
      }
    }
  }
}
