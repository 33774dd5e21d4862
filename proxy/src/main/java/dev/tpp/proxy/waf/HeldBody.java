package dev.tpp.proxy.waf;

import dev.tpp.proxy.http.BodyListener;
import dev.tpp.proxy.http.ErrorResponses;
import dev.tpp.proxy.http.HttpExchange;
import dev.tpp.proxy.pool.OffloadPool;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The body of a response {@link ResponseHold} keeps back for phase 4: in memory up to {@code
 * waf.inMemoryBodyLimit}, past it all of it in a {@link SpoolFile} ({@code tpp-response-*.spool},
 * written by the WAF pool while the origin read waits for each write). After the verdict it is sent
 * on: from memory, or read back from the file in chunks by the pool ({@link BufferedBody}, which
 * deletes the file at the end). Loop thread only; owns the pieces it holds until it sends or
 * releases them.
 */
final class HeldBody {
  private final HttpExchange exchange;
  private final long inMemoryLimit;
  private final OffloadPool pool;
  private final SpoolFile spool;
  private final Consumer<HttpResponseStatus> failed;
  private final ArrayDeque<HttpContent> memory = new ArrayDeque<>();
  private long memoryBytes;
  private boolean spooling;
  private int writesPending;
  private @Nullable Runnable onStored;

  /** {@code failed} replaces the response when the body cannot be kept (no spool space, I/O). */
  HeldBody(
      HttpExchange exchange,
      long inMemoryLimit,
      OffloadPool pool,
      SpoolFile spool,
      Consumer<HttpResponseStatus> failed) {
    this.exchange = exchange;
    this.inMemoryLimit = inMemoryLimit;
    this.pool = pool;
    this.spool = spool;
    this.failed = failed;
  }

  /**
   * Keeps {@code piece}; the future completes when the next piece may come: at once in memory, once
   * written when spooled (so the origin is read no faster than the disk takes it).
   */
  ChannelFuture add(HttpContent piece) {
    int size = piece.content().readableBytes();
    if (!spooling && memoryBytes + size <= inMemoryLimit) {
      memory.add(piece);
      memoryBytes += size;
      return exchange.ctx().newSucceededFuture();
    }
    byte[] bytes = spooling ? copy(piece) : drainMemoryWith(piece);
    spooling = true;
    if (!spool.reserve(bytes.length)) {
      failed.accept(HttpResponseStatus.SERVICE_UNAVAILABLE);
      return exchange.ctx().newSucceededFuture();
    }
    return write(bytes, false);
  }

  /** No more bytes come: runs {@code then} once all of them are stored (the spool file closed). */
  void store(Runnable then) {
    if (!spooling) {
      then.run();
      return;
    }
    onStored = then;
    write(new byte[0], true);
  }

  private ChannelFuture write(byte[] bytes, boolean last) {
    ChannelPromise next = exchange.ctx().newPromise();
    writesPending++;
    spool.append(
        bytes,
        last,
        failure -> {
          writesPending--;
          if (failure != null) {
            failed.accept(ErrorResponses.statusOf(failure));
          } else if (writesPending == 0 && onStored != null) {
            Runnable then = onStored;
            onStored = null;
            then.run();
          }
          next.trySuccess();
        });
    return next;
  }

  /** The spool file, or null while the body is in memory. */
  @Nullable Path file() {
    return spooling ? spool.path() : null;
  }

  /** A copy of the first {@code limit} bytes held in memory, for the pool; null when spooled. */
  byte @Nullable [] memoryCopy(long limit) {
    if (spooling) {
      return null;
    }
    byte[] out = new byte[(int) Math.min(limit, memoryBytes)];
    int at = 0;
    for (HttpContent piece : memory) {
      ByteBuf buf = piece.content();
      int n = Math.min(buf.readableBytes(), out.length - at);
      buf.getBytes(buf.readerIndex(), out, at, n);
      at += n;
    }
    return out;
  }

  /**
   * After a passing verdict: writes the body to the client, then calls {@code then} with the future
   * of its last write (null when there was none).
   */
  void send(Consumer<ChannelFuture> then) {
    if (!spooling) {
      ChannelFuture written = null;
      while (!memory.isEmpty()) {
        written = exchange.passContent(memory.poll());
      }
      then.accept(written);
      return;
    }
    BufferedBody file =
        BufferedBody.spooled(spool.handOver(), spool.length(), pool, exchange.loop());
    exchange.onEnd(file::discard);
    file.read(new Replay(file, then));
  }

  /** Writes the spooled body chunk by chunk, reading the next once the last one was written. */
  private final class Replay implements BodyListener {
    private final BufferedBody file;
    private final Consumer<ChannelFuture> then;

    Replay(BufferedBody file, Consumer<ChannelFuture> then) {
      this.file = file;
      this.then = then;
    }

    @Override
    public void onChunk(ByteBuf chunk, boolean last) {
      if (exchange.isFinished()) {
        chunk.release(); // the client is gone: the exchange's end discards the file
        return;
      }
      ChannelFuture written = exchange.passContent(new DefaultHttpContent(chunk));
      if (last) {
        then.accept(written);
        return;
      }
      written.addListener(
          f -> {
            if (f.isSuccess()) {
              file.read(this);
            } else {
              file.discard();
            }
          });
    }

    @Override
    public void onError(Throwable cause) {
      exchange.abort(cause); // the head is out: a failed read can only cut the response
    }
  }

  /** Frees what is held in memory and deletes the spool file unless it was handed on. */
  void release() {
    memory.forEach(HttpContent::release);
    memory.clear();
    memoryBytes = 0;
    spool.delete();
    spool.giveBack();
  }

  private byte[] drainMemoryWith(HttpContent piece) {
    byte[] bytes = new byte[(int) memoryBytes + piece.content().readableBytes()];
    int at = 0;
    while (!memory.isEmpty()) {
      HttpContent held = memory.poll();
      int n = held.content().readableBytes();
      held.content().readBytes(bytes, at, n);
      held.release();
      at += n;
    }
    piece.content().readBytes(bytes, at, bytes.length - at);
    piece.release();
    memoryBytes = 0;
    return bytes;
  }

  private static byte[] copy(HttpContent piece) {
    byte[] bytes = new byte[piece.content().readableBytes()];
    piece.content().readBytes(bytes);
    piece.release();
    return bytes;
  }
}
