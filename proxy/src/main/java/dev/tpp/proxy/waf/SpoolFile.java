package dev.tpp.proxy.waf;

import dev.tpp.config.HttpLimits;
import dev.tpp.proxy.http.HttpExchange;
import dev.tpp.proxy.pool.OffloadPool;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A body the WAF keeps past its in-memory limit, on disk: a temp file ({@code
 * $TMPDIR/tpp-body-*.spool} for requests, {@code tpp-response-*.spool} for held responses) that the
 * WAF pool creates and appends to, never the loop, within the worker's {@link SpoolBudget}. One
 * write task runs at a time; bytes appended meanwhile go out together in the next one. Loop thread
 * only, apart from the write task, which sees only byte arrays and the file channel. The file is
 * deleted by {@link #delete}, or by whoever it was {@linkplain #handOver handed over} to.
 */
final class SpoolFile {
  private static final Logger log = LoggerFactory.getLogger("tpp.waf");

  /** What is spooled: names the file and counts the refusals. */
  enum Kind {
    REQUEST("tpp-body-"),
    RESPONSE("tpp-response-");

    /** Spools refused because the worker's budget was spent (process-wide). */
    final LongAdder refused = new LongAdder();

    private final String prefix;

    Kind(String prefix) {
      this.prefix = prefix;
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Kind kind;
  private final HttpExchange exchange;
  private final HttpLimits limits;
  private final OffloadPool pool;
  private final SpoolBudget budget = SpoolBudget.ofThisLoop();
  private int takenFiles;
  private long takenBytes;
  private @Nullable Path file; // created by the first write task, read on the loop once it answered
  private @Nullable FileChannel channel; // touched by one write task at a time
  private long length;
  private List<byte[]> waiting = new ArrayList<>();
  private List<Consumer<Throwable>> waiters = new ArrayList<>();
  private boolean closeAfter;
  private boolean writing;
  private @Nullable Throwable failure;
  private boolean gone; // deleted or handed over
  private boolean deleteWhenIdle;

  SpoolFile(Kind kind, HttpExchange exchange, HttpLimits limits, OffloadPool pool) {
    this.kind = kind;
    this.exchange = exchange;
    this.limits = limits;
    this.pool = pool;
  }

  /**
   * Takes room for {@code more} bytes (and the file, the first time) from the worker's budget; when
   * it is spent, counts and logs the refusal and returns false.
   */
  boolean reserve(long more) {
    int newFiles = takenFiles == 0 ? 1 : 0;
    if (!budget.tryTake(
        newFiles, more, limits.spoolFilesPerWorker(), limits.spoolBytesPerWorker())) {
      kind.refused.increment();
      log.warn(
          "event=spool_full id={} body={} files={} bytes={} error=\"worker spool budget spent\"",
          exchange.requestId(),
          kind.label(),
          budget.files(),
          budget.bytes());
      return false;
    }
    takenFiles += newFiles;
    takenBytes += more;
    return true;
  }

  /**
   * Appends {@code bytes} (reserved before); {@code written} gets null on the loop once they and
   * all before them are on disk, or the failure. {@code last}: no more bytes follow, the file is
   * closed after them.
   */
  void append(byte[] bytes, boolean last, Consumer<Throwable> written) {
    length += bytes.length;
    waiting.add(bytes);
    waiters.add(written);
    closeAfter |= last;
    if (!writing) {
      writeWaiting();
    }
  }

  private void writeWaiting() {
    List<byte[]> batch = waiting;
    List<Consumer<Throwable>> told = waiters;
    waiting = new ArrayList<>();
    waiters = new ArrayList<>();
    if (failure != null || gone) {
      Throwable cause = failure != null ? failure : new IOException("spool file deleted");
      told.forEach(w -> w.accept(cause));
      return;
    }
    boolean close = closeAfter;
    writing = true;
    pool.submit(
        exchange.loop(),
        () -> write(batch, close),
        (ok, thrown) -> {
          writing = false;
          failure = thrown;
          told.forEach(w -> w.accept(thrown));
          if (deleteWhenIdle) {
            deleteNow();
          } else if (!waiting.isEmpty()) {
            writeWaiting();
          }
        });
  }

  /** Pool thread: appends the batch, creating the file first. */
  private Void write(List<byte[]> batch, boolean close) throws IOException {
    if (file == null) {
      file = Files.createTempFile(kind.prefix, ".spool");
      channel = FileChannel.open(file, StandardOpenOption.WRITE);
    }
    FileChannel open = Objects.requireNonNull(channel, "channel: open until the closing write");
    for (byte[] bytes : batch) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        open.write(buf);
      }
    }
    if (close) {
      open.close();
      channel = null;
    }
    return null;
  }

  /** The file, once the first write created it. */
  @Nullable Path path() {
    return file;
  }

  /** The bytes appended so far. */
  long length() {
    return length;
  }

  /**
   * Gives the file (complete: its last append answered) to a new owner, who deletes it; {@link
   * #delete} then leaves it alone.
   */
  Path handOver() {
    gone = true;
    return Objects.requireNonNull(file, "file: handed over complete, so created");
  }

  /** Deletes the file in the pool, once a write in progress has ended; idempotent. */
  void delete() {
    if (gone) {
      return;
    }
    gone = true;
    if (writing) {
      deleteWhenIdle = true;
    } else {
      deleteNow();
    }
  }

  private void deleteNow() {
    deleteWhenIdle = false;
    if (file != null) {
      EventExecutor loop = exchange.loop();
      BufferedBody.deleteSpool(file, pool, loop, channel);
      channel = null;
    }
  }

  /** Returns this body's share of the worker's budget (when the exchange ends); idempotent. */
  void giveBack() {
    budget.give(takenFiles, takenBytes);
    takenFiles = 0;
    takenBytes = 0;
  }
}
