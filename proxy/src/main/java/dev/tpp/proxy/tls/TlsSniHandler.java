package dev.tpp.proxy.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

/**
 * Reads the ClientHello, picks the certificate by its server name, and replaces itself with the
 * {@link SslHandler} for it. One handshake timeout covers both steps: the SslHandler gets what is
 * left of it.
 */
final class TlsSniHandler extends SniHandler {
  private static final int MAX_CLIENT_HELLO = 16 * 1024;
  private final long deadline;

  TlsSniHandler(ListenerTls tls) {
    super(tls.sni(), MAX_CLIENT_HELLO, tls.handshakeTimeoutMillis());
    this.deadline = System.nanoTime() + tls.handshakeTimeoutMillis() * 1_000_000L;
  }

  @Override
  protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
    SslHandler handler = super.newSslHandler(context, allocator);
    handler.setHandshakeTimeoutMillis(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
    return handler;
  }
}
