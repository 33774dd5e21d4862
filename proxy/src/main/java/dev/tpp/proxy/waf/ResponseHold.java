package dev.tpp.proxy.waf;

import dev.tpp.proxy.http.HttpExchange;
import dev.tpp.proxy.http.ResponseInterceptor;
import dev.tpp.proxy.pool.OffloadPool;
import dev.tpp.waf.engine.ResponsePolicy;
import dev.tpp.waf.engine.WafResponse;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;
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
import java.util.Objects;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Holds a proxied response whose body the rules inspect (body access on, its type listed) until the
 * WAF's phases 3 and 4 decided on it, so that a deny can still replace it: nothing reaches the
 * client before the verdict. The body is kept by a {@link HeldBody} (memory, then a spool file) up
 * to {@code SecResponseBodyLimit}; beyond it Reject answers 500, ProcessPartial inspects the first
 * bytes and keeps what else came with them. While the inspection runs, the futures handed back stay
 * pending, which stops the upstream reading. Any other response streams untouched while phases 3
 * and 5 inspect its head beside it (they can then only log). Loop thread only; owns the held head
 * and body pieces until it passes or releases them.
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
  private final HeldBody body;
  private final ArrayDeque<HttpContent> tail = new ArrayDeque<>(); // came after the inspected part
  private @Nullable HttpResponse head;
  private long length;
  private boolean ended;
  private boolean collecting;
  private boolean submitted;
  private boolean replaced;
  private boolean inspecting; // phase 4 may be reading the spool file: it stays until the verdict
  private boolean releaseOwed;
  private @Nullable ChannelPromise drained;
  private @Nullable ChannelPromise lastWritten;

  /** Keeps bodies in memory up to {@code inMemoryLimit}, beyond it in {@code spool}. */
  ResponseHold(
      HttpExchange exchange,
      ResponsePolicy policy,
      Inspection inspection,
      long inMemoryLimit,
      OffloadPool pool,
      SpoolFile spool) {
    this.exchange = exchange;
    this.policy = policy;
    this.inspection = inspection;
    this.body =
        new HeldBody(
            exchange,
            inMemoryLimit,
            pool,
            spool,
            status -> replace(status.code(), "no room to hold the response for inspection"));
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
    inspection.submit(snapshot(), false, status -> {});
    return exchange.passHead(response);
  }

  @Override
  public ChannelFuture content(HttpContent content) {
    if (replaced) {
      content.release();
      return exchange.ctx().newSucceededFuture();
    }
    if (!collecting) { // inspected already (ProcessPartial): kept until the verdict
      tail.add(content);
      return drained();
    }
    length += content.content().readableBytes();
    if (length <= policy.bodyLimit()) {
      return body.add(content); // read on: the body is wanted whole
    }
    collecting = false;
    if (policy.rejectOverLimit()) {
      content.release();
      replace(500, "response body larger than SecResponseBodyLimit " + policy.bodyLimit());
      return exchange.ctx().newSucceededFuture();
    }
    body.add(content); // ProcessPartial: the first bodyLimit bytes are in what is held
    body.store(this::submit);
    return drained();
  }

  @Override
  public ChannelFuture last(LastHttpContent end) {
    if (replaced) {
      end.release();
      return exchange.ctx().newSucceededFuture();
    }
    ended = true;
    lastWritten = exchange.ctx().newPromise();
    if (end.content().isReadable()) {
      content(new DefaultHttpContent(end.content())); // trailers: the relay passes none
    } else {
      end.release();
    }
    if (collecting && !replaced) {
      collecting = false;
      body.store(this::submit);
    }
    return lastWritten;
  }

  /**
   * Frees whatever is still held: the exchange ended (client gone, aborted) before the response
   * went out. While an inspection runs, that waits for its verdict.
   */
  void release() {
    if (inspecting) {
      releaseOwed = true;
      return;
    }
    body.release();
    tail.forEach(HttpContent::release);
    tail.clear();
  }

  private ChannelPromise drained() {
    if (drained == null) {
      drained = exchange.ctx().newPromise();
    }
    return drained;
  }

  /** The body is stored (all of it, or its first bodyLimit bytes): phases 3 and 4 may run. */
  private void submit() {
    if (submitted || replaced) {
      return;
    }
    submitted = true;
    inspecting = true;
    inspection.submit(
        snapshot(),
        true,
        status -> {
          inspecting = false;
          if (releaseOwed || exchange.isFinished()) {
            drop(); // the exchange ended meanwhile (client gone)
          } else if (status > 0) {
            replace(status, "response blocked by the WAF (id " + exchange.requestId() + ")");
          } else {
            flush();
          }
        });
  }

  /** Loop: an immutable copy of the head (and the body, when inspected) for the pool. */
  // the body is byte @Nullable [] in WafResponse; NullAway 0.14.3 does not see that type-use
  // annotation on a waf record's array component from here (as for AuditRecord in WafAudit)
  @SuppressWarnings("NullAway")
  private WafResponse snapshot() {
    HttpResponse head = Objects.requireNonNull(this.head, "head: held since onHead");
    List<Map.Entry<String, String>> headers = new ArrayList<>(head.headers().size());
    head.headers().forEach(e -> headers.add(Map.entry(e.getKey(), e.getValue())));
    return new WafResponse(
        head.status().code(),
        head.protocolVersion().text(),
        headers,
        submitted ? body.memoryCopy(policy.bodyLimit()) : null,
        submitted ? body.file() : null,
        HttpUtil.getContentLength(head, ended ? length : -1L));
  }

  private void drop() {
    replaced = true;
    release();
    complete(drained, true);
    complete(lastWritten, true);
  }

  private void flush() {
    // The relay's read batch that brought the end may have left flushes held (it lets go of the
    // origin at the end); the body is sent chunk by chunk, each once the last was written, so each
    // write must be flushed as it goes.
    exchange.flushHeld();
    exchange.passHead(Objects.requireNonNull(head, "head: held since onHead"));
    body.send(this::afterBody);
  }

  /** The inspected body is out: what came after it, then the end, and the rest streams through. */
  private void afterBody(ChannelFuture bodyWritten) {
    exchange.interceptResponse(null);
    ChannelFuture written = bodyWritten;
    while (!tail.isEmpty()) {
      written = exchange.passContent(tail.poll());
    }
    if (ended) {
      exchange
          .passLast(LastHttpContent.EMPTY_LAST_CONTENT)
          .addListener(f -> complete(lastWritten, f.isSuccess()));
    }
    ChannelPromise waiting = drained;
    if (written == null) {
      complete(waiting, true);
    } else {
      written.addListener(f -> complete(waiting, f.isSuccess()));
    }
  }

  private void replace(int status, String detail) {
    if (replaced) {
      return;
    }
    replaced = true;
    release();
    exchange.sendError(HttpResponseStatus.valueOf(status), detail);
    complete(drained, true);
    complete(lastWritten, true);
  }

  private static void complete(@Nullable ChannelPromise promise, boolean success) {
    if (promise != null) {
      if (success) {
        promise.trySuccess();
      } else {
        promise.tryFailure(new IOException("response could not be written"));
      }
    }
  }
}
