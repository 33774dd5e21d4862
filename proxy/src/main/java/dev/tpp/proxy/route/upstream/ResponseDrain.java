package dev.tpp.proxy.route.upstream;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The rest of a response whose client went away after its request was sent whole: read and dropped,
 * so that the origin connection serves a next request instead of being closed and opened again.
 * Clients leave mid-response all the time (a browser navigates away, a load test stops with its
 * requests in flight), and each close used to cost a connect, a new pipeline, and a TIME_WAIT
 * socket. Bounded: a body of more than {@link #MAX_BODY_BYTES} still to come, a response not over
 * within {@link #MAX_WAIT_MILLIS}, an origin that closes after the response, or anything malformed
 * closes the connection instead, as nginx does at once ({@code proxy_ignore_client_abort off}).
 * HAProxy without {@code abortonclose} likewise lets the response finish. Runs on the connection's
 * loop; it owns and releases what it reads.
 */
final class ResponseDrain implements ConnectionListener {
  /** The most body a drain reads and drops; beyond that, closing and reconnecting is cheaper. */
  static final long MAX_BODY_BYTES = 64 * 1024;

  /** How long a drain waits for the end of the response, from the moment the client left. */
  static final long MAX_WAIT_MILLIS = 1000;

  private final UpstreamConnection connection;
  private final ScheduledFuture<?> deadline;
  private boolean keepAlive;
  private long budget = MAX_BODY_BYTES; // body bytes this drain may still read
  private boolean over;

  private ResponseDrain(UpstreamConnection connection, boolean keepAlive) {
    this.connection = connection;
    this.keepAlive = keepAlive;
    this.deadline =
        connection
            .channel()
            .eventLoop()
            .schedule(this::expired, MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Whether a response in this state is worth draining: not started yet ({@code headSeen} false),
   * or started on a connection the origin keeps open with at most {@link #MAX_BODY_BYTES} of a
   * known length still to come ({@code bodyLeft}; -1 = unknown).
   */
  static boolean worthIt(boolean headSeen, boolean keepAlive, long bodyLeft) {
    return !headSeen || (keepAlive && bodyLeft >= 0 && bodyLeft <= MAX_BODY_BYTES);
  }

  /**
   * Takes over {@code connection} from the call its client left, or closes it when the response is
   * not {@link #worthIt} draining; {@code headSeen}, {@code keepAlive} and {@code bodyLeft} as
   * there.
   */
  static void start(
      UpstreamConnection connection, boolean headSeen, boolean keepAlive, long bodyLeft) {
    if (!worthIt(headSeen, keepAlive, bodyLeft)) {
      connection.close();
      return;
    }
    ResponseDrain drain = new ResponseDrain(connection, headSeen && keepAlive);
    connection.attach(drain);
    // AUTO_READ is off and the call may have stopped asking (its client was slow): ask once more.
    // A read already pending makes this one a no-op.
    connection.channel().read();
  }

  @Override
  public void onRead(HttpObject msg) {
    try {
      if (over) {
        return;
      }
      if (msg.decoderResult().isFailure()) {
        close();
      } else if (msg instanceof OriginHead head) {
        onHead(head);
      } else if (msg instanceof HttpContent content) {
        onContent(content);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onHead(OriginHead head) {
    if (head.isInterim()) {
      return;
    }
    keepAlive = head.keepAlive();
    if (!keepAlive || head.contentLength() > MAX_BODY_BYTES) {
      close();
    }
  }

  private void onContent(HttpContent content) {
    budget -= content.content().readableBytes();
    if (content instanceof LastHttpContent) {
      finish();
    } else if (budget < 0) {
      close(); // a long body of unknown length
    }
  }

  @Override
  public void onReadComplete() {
    if (!over) {
      connection.channel().read();
    }
  }

  @Override
  public void onClosed(@Nullable Throwable cause) {
    over = true;
    deadline.cancel(false);
  }

  private void finish() {
    over = true;
    deadline.cancel(false);
    if (keepAlive) {
      connection.recycle();
    } else {
      connection.close();
    }
  }

  private void expired() {
    if (!over) {
      close();
    }
  }

  private void close() {
    over = true;
    deadline.cancel(false);
    connection.close();
  }
}
