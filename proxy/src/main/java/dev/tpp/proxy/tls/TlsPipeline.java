package dev.tpp.proxy.tls;

import io.netty.channel.ChannelPipeline;

/**
 * Puts TLS in front of a connection's HTTP handlers: {@code tls} (SNI, then the SslHandler it
 * becomes) and {@code tls-observer} (metrics and the failure log line). Called from the channel
 * initializer on the connection's loop.
 */
public final class TlsPipeline {
  private TlsPipeline() {}

  public static void install(ChannelPipeline pipeline, ListenerTls tls, TlsContexts contexts) {
    pipeline
        .addLast("tls", new TlsSniHandler(tls))
        .addLast("tls-observer", new TlsHandshakeObserver(tls.listener(), contexts));
  }
}
