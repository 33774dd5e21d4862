package dev.tpp.proxy.waf;

import dev.tpp.config.HttpLimits;
import dev.tpp.config.WafConfig;
import dev.tpp.proxy.http.BodyListener;
import dev.tpp.proxy.http.ErrorResponses;
import dev.tpp.proxy.http.HttpExchange;
import dev.tpp.proxy.pool.OffloadPool;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Reads a request body whole so the WAF can inspect it: in memory up to {@code inMemoryBodyLimit},
 * then spooled to a {@link SpoolFile} written by the WAF pool, one chunk at a time (the client is
 * not read faster than the disk takes it), within the worker's {@link SpoolBudget} (else 503); past
 * {@code requestBodyLimit}, 413. Chunks arrive on the loop and are copied before they go to the
 * pool, so pool threads never see a Netty buffer.
 */
final class BodyCollector implements BodyListener {
  /** The whole body: {@code memory} or {@code file} (null when the other is set). */
  record Collected(byte @Nullable [] memory, @Nullable Path file, long length) {}

  private final HttpExchange exchange;
  private final WafConfig config;
  private final SpoolFile spool;
  private final Consumer<Collected> done;
  private final ByteArrayOutputStream memory = new ByteArrayOutputStream();
  private boolean spooling;
  private long length;
  private boolean failed;

  BodyCollector(
      HttpExchange exchange,
      WafConfig config,
      HttpLimits limits,
      OffloadPool pool,
      Consumer<Collected> done) {
    this.exchange = exchange;
    this.config = config;
    this.spool = new SpoolFile(SpoolFile.Kind.REQUEST, exchange, limits, pool);
    this.done = done;
  }

  void start() {
    exchange.onEnd(this::cleanUpIfFailed);
    exchange.onEnd(spool::giveBack);
    exchange.body().read(this);
  }

  @Override
  public void onChunk(ByteBuf chunk, boolean last) {
    byte[] bytes = new byte[chunk.readableBytes()];
    chunk.readBytes(bytes);
    chunk.release();
    length += bytes.length;
    if (length > config.requestBodyLimit()) {
      failed = true;
      exchange.sendError(
          HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
          "request body larger than " + config.requestBodyLimit() + " bytes");
      return;
    }
    if (!spooling && length <= config.inMemoryBodyLimit()) {
      memory.writeBytes(bytes);
      next(last);
      return;
    }
    byte[] pending = spooling ? bytes : concat(memory.toByteArray(), bytes);
    memory.reset();
    spooling = true;
    if (!spool.reserve(pending.length)) {
      failed = true;
      exchange.sendError(
          HttpResponseStatus.SERVICE_UNAVAILABLE,
          "no spool space for the request body, retry later");
      return;
    }
    spool.append(
        pending,
        last,
        failure -> {
          if (failure != null) {
            fail(failure);
          } else {
            next(last);
          }
        });
  }

  private void next(boolean last) {
    if (!last) {
      exchange.body().read(this);
    } else if (!spooling) {
      done.accept(new Collected(memory.toByteArray(), null, length));
    } else {
      done.accept(new Collected(null, spool.handOver(), length));
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Override
  public void onError(Throwable cause) {
    failed = true;
    cleanUpIfFailed();
  }

  private void fail(Throwable failure) {
    failed = true;
    exchange.sendError(ErrorResponses.statusOf(failure), "request body could not be buffered");
  }

  /** The spool file is handed on when collection succeeds; otherwise it is ours to delete. */
  private void cleanUpIfFailed() {
    if (failed) {
      spool.delete();
    }
  }
}
