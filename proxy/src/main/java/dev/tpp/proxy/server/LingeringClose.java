package dev.tpp.proxy.server;

import dev.tpp.proxy.http.StreamingBody;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * How a connection closes after a response that announced it, while the client may still be sending
 * a body nobody read: nginx's lingering close. Closing a socket with unread bytes makes the kernel
 * send a reset, and a client still sending its body then loses the response (a 413, a WAF 403) to
 * "connection reset"; so the rest of the body is read and dropped for at most {@link #LINGER_MS}
 * (nginx's lingering_timeout), then the connection closes. Which kind applies is chosen when the
 * pipeline is built ({@link ProxyChannelInitializer}). Called on the connection's loop.
 */
enum LingeringClose {
  /**
   * A TCP connection (HTTP/1.x): its output is shut first, so the client sees the response end and
   * may stop sending. A channel that cannot half-close closes at once.
   */
  SOCKET {
    @Override
    boolean halfClose(ChannelHandlerContext ctx) {
      if (ctx.channel() instanceof DuplexChannel duplex) {
        duplex.shutdownOutput();
        return true;
      }
      return false;
    }

    /**
     * A request without a body (no {@code Content-Length}, or 0, and not chunked: every plain GET)
     * has nothing in flight behind its head, even though the decoder has not handed over its empty
     * end yet: no half-close, no timer. A half-close there would also send TCP's FIN before TLS's
     * {@code close_notify}, which then cannot follow (clients see a truncated connection).
     */
    @Override
    boolean received(StreamingBody body) {
      return body.isComplete() || body.length() == 0;
    }
  },

  /**
   * An HTTP/2 stream, which its response already ended on our side: closing it now would reset it
   * with CANCEL, and what the client still sends on it (the body, its trailers, a WINDOW_UPDATE)
   * would be ignored instead of judged.
   */
  STREAM {
    @Override
    boolean halfClose(ChannelHandlerContext ctx) {
      return true;
    }
  };

  static final long LINGER_MS = 5000;

  /** Ends the sending side where it can; false when the connection must close at once instead. */
  abstract boolean halfClose(ChannelHandlerContext ctx);

  /** Whether the client has nothing more to send of {@code body}. */
  boolean received(StreamingBody body) {
    return body.isComplete();
  }

  /** Closes now, or once the client stopped sending {@code body} (null: none), within the limit. */
  void close(ChannelHandlerContext ctx, @Nullable StreamingBody body) {
    if (body == null || received(body) || !halfClose(ctx)) {
      ctx.close();
      return;
    }
    ScheduledFuture<?> deadline =
        ctx.executor()
            .schedule(
                () -> {
                  ctx.close();
                },
                LINGER_MS,
                TimeUnit.MILLISECONDS);
    // no 5 s task left behind per closed connection
    ctx.channel().closeFuture().addListener(f -> deadline.cancel(false));
    body.discardThen(ctx::close);
  }
}
