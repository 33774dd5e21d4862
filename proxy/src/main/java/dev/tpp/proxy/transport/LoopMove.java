package dev.tpp.proxy.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.concurrent.RejectedExecutionException;

/**
 * Takes a registered connection off its event loop so that it can register on another loop of the
 * same transport (a TLS connection leaving its handshake loop). The kernel keeps the socket's bytes
 * meanwhile.
 *
 * <p>Netty 4.2.18's io_uring needs two things the other transports do not, both found by moving
 * channels between real io_uring loops:
 *
 * <ul>
 *   <li>No read may be outstanding at the deregister: a socket whose read was pending never reads
 *       again on its new loop (the channel still believes the read pending). Turning AUTO_READ on
 *       and off cancels the outstanding read and clears that belief.
 *   <li>io_uring completes the deregister promise before the channel counts as unregistered, so
 *       registering elsewhere from the promise's listener would fail ("registered to an event loop
 *       already"). The returned future completes in a later task on the old loop, when the
 *       deregister has finished.
 * </ul>
 *
 * <p>Listening sockets are not moved on io_uring at all (see {@link Transport#movesListeners}).
 */
public final class LoopMove {
  private LoopMove() {}

  /**
   * Deregisters {@code ch}; the future succeeds once it may register on another loop. Call on the
   * channel's loop. The work runs in a task of its own: called from inside a read completion (a
   * handshake finishing as its last bytes are read), io_uring defers the read state changes and
   * leaves the channel deaf on its new loop.
   */
  public static Future<Void> leave(Channel ch) {
    EventLoop old = ch.eventLoop();
    Promise<Void> off = old.newPromise();
    try {
      old.execute(() -> deregister(ch, old, off));
    } catch (RejectedExecutionException e) { // the old loop is stopping
      off.tryFailure(e);
    }
    return off;
  }

  private static void deregister(Channel ch, EventLoop old, Promise<Void> off) {
    if (ch instanceof IoUringSocketChannel) {
      ch.config().setAutoRead(true);
      ch.config().setAutoRead(false);
    }
    ch.deregister()
        .addListener(
            left -> {
              if (!left.isSuccess()) {
                off.tryFailure(left.cause());
                return;
              }
              try {
                old.execute(() -> off.trySuccess(null));
              } catch (RejectedExecutionException e) { // the old loop is stopping
                off.tryFailure(e);
              }
            });
  }
}
