package dev.tpp.proxy.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.channels.ClosedChannelException;
import org.jspecify.annotations.Nullable;

/**
 * A request body read straight off the client connection, one decoded chunk per {@link #read}: the
 * connection is not read further until the consumer asks (AUTO_READ is off), so a slow upstream
 * slows the client instead of filling memory. Fed by the dispatcher, on the connection's loop only.
 */
public final class StreamingBody implements RequestBody {
  private final long length;
  private final Runnable readMore;
  private @Nullable BodyListener listener;
  private boolean complete;
  private @Nullable Throwable
      failure; // the body was refused (malformed, timed out): consumers get it instead of an end
  private boolean discarding;
  private @Nullable Runnable onComplete;
  private long received;

  /** {@code readMore} asks the connection for its next decoded message. */
  public StreamingBody(long length, Runnable readMore) {
    this.length = length;
    this.readMore = readMore;
  }

  @Override
  public long length() {
    return length;
  }

  /** Bytes of body received so far. */
  public long received() {
    return received;
  }

  @Override
  public void read(BodyListener listener) {
    if (failure != null) {
      listener.onError(failure);
      return;
    }
    if (complete) {
      listener.onChunk(Unpooled.EMPTY_BUFFER, true);
      return;
    }
    this.listener = listener;
    readMore.run();
  }

  @Override
  public void discard() {
    if (complete || discarding) {
      return;
    }
    discarding = true;
    listener = null;
    readMore.run();
  }

  /**
   * Like {@link #discard}, then runs {@code then} once the last chunk has gone by (at once if it
   * already has).
   */
  public void discardThen(Runnable then) {
    if (complete) {
      then.run();
      return;
    }
    onComplete = then;
    discard();
  }

  @Override
  public boolean isComplete() {
    return complete;
  }

  /** The dispatcher got the next piece of this body; ownership of {@code content} passes here. */
  public void onContent(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    received += content.content().readableBytes();
    complete = last;
    if (discarding || listener == null) {
      content.release();
      if (last) {
        finished();
      } else if (discarding) {
        readMore.run();
      }
      return;
    }
    BodyListener l = listener;
    listener = null;
    l.onChunk(content.content(), last);
    if (last) {
      finished();
    }
  }

  /**
   * The body was refused ({@code cause}: malformed framing, read timeout): the consumer gets an
   * error, never an end, so nothing forwards a truncated body as whole; a pending {@link
   * #discardThen} continuation is dropped, for the connection closes.
   */
  public void fail(Throwable cause) {
    if (complete) {
      return;
    }
    complete = true;
    failure = cause;
    onComplete = null;
    BodyListener l = listener;
    listener = null;
    if (l != null) {
      l.onError(cause);
    }
  }

  /** The connection closed before the body ended. */
  public void onClosed() {
    fail(new ClosedChannelException());
  }

  private void finished() {
    Runnable then = onComplete;
    onComplete = null;
    if (then != null) {
      then.run();
    }
  }
}
