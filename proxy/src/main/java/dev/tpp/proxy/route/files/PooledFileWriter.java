package dev.tpp.proxy.route.files;

import dev.tpp.proxy.http.HttpExchange;
import dev.tpp.proxy.pool.OffloadPool;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Streams a file's body when zero-copy is not possible (TLS, a compressor, a transport without
 * FileRegion) without reading the file on the event loop, as Netty's ChunkedNioFile would: each
 * chunk is read by a pool task into a fresh {@code byte[]}, which the loop wraps and writes; the
 * next read is submitted only once that chunk has been written, so one response holds at most one
 * chunk (backpressure). Loop-confined apart from the read task, which sees only the file channel, a
 * position and a length. Owns {@link FileReply#file()} and closes it on every path.
 */
final class PooledFileWriter {
  static final int CHUNK = 64 * 1024;
  private final HttpExchange exchange;
  private final OffloadPool pool;
  private final FileReply reply;
  private long position;
  private long remaining;

  PooledFileWriter(HttpExchange exchange, OffloadPool pool, FileReply reply) {
    this.exchange = exchange;
    this.pool = pool;
    this.reply = reply;
    this.position = reply.bodyStart();
    this.remaining = reply.bodyLength();
  }

  /**
   * Event loop, after the head was written: reads and writes chunk by chunk, then the last content.
   */
  void start() {
    readNext();
  }

  private void readNext() {
    FileChannel file =
        Objects.requireNonNull(reply.file(), "file: only a reply with a body is written");
    long at = position;
    int length = (int) Math.min(CHUNK, remaining);
    pool.submit(exchange.loop(), () -> read(file, at, length), this::onChunk);
  }

  private static byte[] read(FileChannel file, long at, int length) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(length);
    while (chunk.hasRemaining()) {
      if (file.read(chunk, at + chunk.position()) < 0) {
        throw new EOFException("file shrank while being served");
      }
    }
    return chunk.array();
  }

  private void onChunk(byte @Nullable [] chunk, @Nullable Throwable failure) {
    if (!exchange.ctx().channel().isActive()) {
      reply.closeFile(); // the client is gone; the dispatcher has recorded it
      return;
    }
    if (failure
        != null) { // the head is out: a pool rejection or read error can only cut the response
      reply.closeFile();
      exchange.abort(failure);
      return;
    }
    Objects.requireNonNull(chunk, "the pool gives a result when there is no failure");
    position += chunk.length;
    remaining -= chunk.length;
    var future = exchange.write(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)));
    if (remaining == 0) {
      reply.closeFile();
      exchange.writeLast(LastHttpContent.EMPTY_LAST_CONTENT);
      return;
    }
    future.addListener(
        f -> {
          if (f.isSuccess()) {
            readNext();
          } else {
            onChunk(null, f.cause()); // closes; aborts unless the client is simply gone
          }
        });
  }
}
