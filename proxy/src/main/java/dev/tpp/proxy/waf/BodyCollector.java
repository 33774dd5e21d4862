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
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a request body whole so the WAF can inspect it: in memory up to {@code inMemoryBodyLimit},
 * then spooled to a temp file whose creation and writes run in the WAF pool, one chunk at a time
 * (the client is not read faster than the disk takes it), within the worker's {@link SpoolBudget}
 * (else 503); past {@code requestBodyLimit}, 413. Chunks arrive on the loop and are copied before
 * they go to the pool, so pool threads never see a Netty buffer.
 */
final class BodyCollector implements BodyListener {
  /** The whole body: {@code memory} or {@code file} (null when the other is set). */
  record Collected(byte[] memory, Path file, long length) {}

  private final HttpExchange exchange;
  private static final Logger log = LoggerFactory.getLogger("tpp.waf");
  private final WafConfig config;
  private final HttpLimits limits;
  private final SpoolBudget budget; // this loop's
  private int spooledFiles;
  private long spooledBytes;
  private final OffloadPool pool;
  private final Consumer<Collected> done;
  private final ByteArrayOutputStream memory = new ByteArrayOutputStream();
  private Path file;
  private FileChannel channel; // written by one pool task at a time
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
    this.limits = limits;
    this.budget = SpoolBudget.ofThisLoop();
    this.pool = pool;
    this.done = done;
  }

  void start() {
    exchange.onEnd(this::cleanUpIfFailed);
    exchange.onEnd(() -> budget.give(spooledFiles, spooledBytes));
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
    if (file == null && length <= config.inMemoryBodyLimit()) {
      memory.writeBytes(bytes);
      next(last);
      return;
    }
    byte[] pending = file == null ? concat(memory.toByteArray(), bytes) : bytes;
    memory.reset();
    if (!reserveSpool(pending.length)) {
      return;
    }
    pool.submit(
        exchange.loop(),
        () -> write(pending, last),
        (ok, failure) -> {
          if (failure != null) {
            fail(failure);
          } else {
            next(last);
          }
        });
  }

  /**
   * Takes spool space from this worker's budget (a file on the first spooled chunk); answers 503
   * when it is spent.
   */
  private boolean reserveSpool(long more) {
    int newFiles = spooledFiles == 0 ? 1 : 0;
    if (!budget.tryTake(
        newFiles, more, limits.spoolFilesPerWorker(), limits.spoolBytesPerWorker())) {
      failed = true;
      log.warn(
          "event=spool_full id={} files={} bytes={} error=\"worker spool budget spent\"",
          exchange.requestId(),
          budget.files(),
          budget.bytes());
      exchange.sendError(
          HttpResponseStatus.SERVICE_UNAVAILABLE,
          "no spool space for the request body, retry later");
      return false;
    }
    spooledFiles += newFiles;
    spooledBytes += more;
    return true;
  }

  private void next(boolean last) {
    if (!last) {
      exchange.body().read(this);
    } else if (file == null) {
      done.accept(new Collected(memory.toByteArray(), null, length));
    } else {
      done.accept(new Collected(null, file, length));
    }
  }

  /** Pool thread: appends to the spool file, creating it first. */
  private Void write(byte[] bytes, boolean last) throws IOException {
    if (channel == null) {
      file = Files.createTempFile("tpp-body-", ".spool");
      channel = FileChannel.open(file, StandardOpenOption.WRITE);
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
    if (last) {
      channel.close();
      channel = null;
    }
    return null;
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
    if (failed && file != null) {
      Path f = file;
      file = null;
      BufferedBody.deleteSpool(f, pool, exchange.loop(), channel);
    }
  }
}
