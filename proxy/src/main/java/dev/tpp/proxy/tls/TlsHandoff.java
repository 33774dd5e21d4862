package dev.tpp.proxy.tls;

import dev.tpp.proxy.transport.LoopMove;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a connection whose TLS handshake ran on a handshake loop to the worker loop that serves it:
 * once the handshake succeeded, the channel leaves the handshake loop ({@link LoopMove}; the kernel
 * keeps its bytes) and registers on {@code serving}, where {@link AfterHandshake} builds the HTTP
 * handlers for the protocol ALPN chose; then the decrypted bytes that arrived with the client's
 * Finished (held here meanwhile, in order) go to them, and this handler leaves. A failed handshake
 * closes the connection where it is (the observer in front counted and logged it).
 *
 * <p>Sits last in the pipeline while the handshake runs. Event loops: the handshake loop until the
 * move, then {@code serving}. The held buffers are this handler's until it passes them on or the
 * connection closes, when it releases them.
 */
public final class TlsHandoff extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger("tpp.tls");

  /** Builds the rest of the pipeline on the serving loop, after {@code handoff}. */
  @FunctionalInterface
  public interface AfterHandshake {
    /**
     * {@code protocol}: ALPN's choice ({@code h2}, {@code http/1.1}) or null. The HTTP/1.1 handlers
     * need their {@code channelActive}: fire it from {@code handoff}.
     */
    void build(ChannelHandlerContext handoff, String protocol);
  }

  private final EventLoop serving;
  private final AfterHandshake after;
  private final List<Object> held = new ArrayList<>();
  private boolean released;

  public TlsHandoff(EventLoop serving, AfterHandshake after) {
    this.serving = serving;
    this.after = after;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    // AUTO_READ is off and no HTTP handler asks yet: the handshake's first read is asked for here
    // (the SNI and SSL handlers then read as long as the handshake needs bytes)
    ctx.read();
    ctx.fireChannelActive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof SslHandshakeCompletionEvent done) {
      if (done.isSuccess()) {
        move(ctx, ctx.pipeline().get(SslHandler.class).applicationProtocol());
      } else {
        ctx.close();
      }
      return; // nothing behind this handler yet
    }
    ctx.fireUserEventTriggered(event);
  }

  private void move(ChannelHandlerContext ctx, String protocol) {
    Channel ch = ctx.channel();
    ChannelOutboundBuffer unsent = ch.unsafe().outboundBuffer();
    if (unsent != null && !unsent.isEmpty()) {
      // The handshake's last flight is still being written (io_uring writes asynchronously; its
      // deregister cancels a write in flight, which then is not sent again). An empty write behind
      // the SSL handler completes once everything before it is on the wire.
      ctx.pipeline()
          .context(SslHandler.class)
          .writeAndFlush(Unpooled.EMPTY_BUFFER)
          .addListener(
              written -> {
                if (written.isSuccess()) {
                  leave(ctx, protocol);
                } else {
                  ctx.close();
                }
              });
      return;
    }
    leave(ctx, protocol);
  }

  private void leave(ChannelHandlerContext ctx, String protocol) {
    Channel ch = ctx.channel();
    LoopMove.leave(ch)
        .addListener(
            left -> {
              if (!left.isSuccess()) {
                ch.unsafe().closeForcibly();
                return;
              }
              serving
                  .register(ch)
                  .addListener(
                      arrived -> {
                        if (arrived.isSuccess()) {
                          arrived(ctx, protocol);
                        } else { // the worker is stopping: nothing can serve the connection
                          log.debug("event=tls_handoff_failed remote={}", ch.remoteAddress());
                          releaseHeld();
                          ch.unsafe().closeForcibly();
                        }
                      });
            });
  }

  /** On the serving loop. */
  private void arrived(ChannelHandlerContext ctx, String protocol) {
    if (!ctx.channel().isActive()) {
      releaseHeld();
      return;
    }
    after.build(ctx, protocol);
    List<Object> early = new ArrayList<>(held);
    held.clear();
    ctx.pipeline().remove(this);
    for (Object msg : early) {
      ctx.fireChannelRead(msg);
    }
    if (!early.isEmpty()) {
      ctx.fireChannelReadComplete();
    }
    // What the handshake left unsent: a write interest does not survive the move.
    ctx.flush();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (released) {
      ReferenceCountUtil.release(msg);
    } else {
      held.add(msg); // decrypted request bytes that came with the Finished: they wait for the move
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    // the HTTP handlers do not exist yet: they get one after the held bytes
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseHeld();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (!held.isEmpty()) {
      releaseHeld(); // removed some other way than arrived(): nothing will read them
    }
  }

  private void releaseHeld() {
    released = true;
    held.forEach(ReferenceCountUtil::release);
    held.clear();
  }
}
