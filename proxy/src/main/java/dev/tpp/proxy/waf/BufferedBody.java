package dev.tpp.proxy.waf;

import dev.tpp.proxy.http.BodyListener;
import dev.tpp.proxy.http.RequestBody;
import dev.tpp.proxy.pool.OffloadPool;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * A body the WAF already read whole, replayed to the route handler: from memory, or from its spool
 * file in 64 KiB chunks read by the WAF pool (file reads never run on the loop). {@link #read} and
 * {@link #discard} are called on the exchange's loop; the spool file is deleted, in the pool, once
 * the body is consumed or dropped.
 */
final class BufferedBody implements RequestBody {
  private static final int CHUNK = 64 * 1024;

  private final byte @Nullable [] memory;
  private final @Nullable Path file;
  private final long length;
  private final @Nullable OffloadPool pool;
  private final @Nullable EventExecutor loop;
  private @Nullable FileChannel channel; // touched by one pool task at a time
  private long position;
  private boolean complete;
  private boolean deleted;

  private BufferedBody(
      byte @Nullable [] memory,
      @Nullable Path file,
      long length,
      @Nullable OffloadPool pool,
      @Nullable EventExecutor loop) {
    this.memory = memory;
    this.file = file;
    this.length = length;
    this.pool = pool;
    this.loop = loop;
  }

  private OffloadPool pool() {
    return Objects.requireNonNull(pool, "pool: a spooled body has one");
  }

  private EventExecutor loop() {
    return Objects.requireNonNull(loop, "loop: a spooled body has one");
  }

  static BufferedBody inMemory(byte[] bytes) {
    return new BufferedBody(bytes, null, bytes.length, null, null);
  }

  static BufferedBody spooled(Path file, long length, OffloadPool pool, EventExecutor loop) {
    return new BufferedBody(null, file, length, pool, loop);
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public boolean isComplete() {
    return complete;
  }

  @Override
  public void read(BodyListener listener) {
    if (complete || memory != null) {
      byte[] bytes = complete ? new byte[0] : memory;
      complete = true;
      listener.onChunk(Unpooled.wrappedBuffer(bytes), true);
      return;
    }
    pool()
        .submit(
            loop(),
            this::readChunk,
            (bytes, failure) -> {
              if (failure != null) {
                discard();
                listener.onError(failure);
                return;
              }
              boolean last = position >= length;
              if (last) {
                discard();
              }
              listener.onChunk(Unpooled.wrappedBuffer(bytes), last);
            });
  }

  /** Pool thread: the next chunk of the spool file. */
  private byte[] readChunk() throws IOException {
    if (channel == null) {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    }
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, length - position));
    while (buf.hasRemaining() && channel.read(buf, position + buf.position()) > 0) {
      // keep reading until the chunk is full
    }
    position += buf.position();
    return buf.array().length == buf.position()
        ? buf.array()
        : Arrays.copyOf(buf.array(), buf.position());
  }

  @Override
  public void discard() {
    complete = true;
    if (file != null && !deleted) {
      deleted = true;
      deleteSpool(file, pool(), loop(), channel);
    }
  }

  /** Closes and deletes a spool file in the pool; if the pool is full, at JVM exit (logged). */
  static void deleteSpool(
      Path file, OffloadPool pool, EventExecutor loop, @Nullable FileChannel channel) {
    pool.submit(
        loop,
        () -> {
          if (channel != null) {
            channel.close();
          }
          return Files.deleteIfExists(file);
        },
        (ok, failure) -> {
          if (failure != null) {
            file.toFile().deleteOnExit();
            LoggerFactory.getLogger("tpp.waf")
                .warn("event=spool_delete_deferred file={} error=\"{}\"", file, failure.toString());
          }
        });
  }
}
