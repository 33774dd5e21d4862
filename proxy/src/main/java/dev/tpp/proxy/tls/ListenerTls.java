package dev.tpp.proxy.tls;

import dev.tpp.config.tls.CertificatePair;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import java.util.List;

/**
 * One TLS listener's certificates as served now: the SNI mapping (exact names, then {@code *.}
 * wildcards, then the first certificate as the default), the pairs and their contexts (same order),
 * the handshake timeout, and the pool that signs for it. Immutable; swapped whole when a
 * certificate file or the config changes, so a handshake sees one consistent set. Read on loops.
 */
public record ListenerTls(
    String listener,
    Mapping<String, SslContext> sni,
    List<CertificatePair> certificates,
    List<SslContext> contexts,
    long handshakeTimeoutMillis,
    String pool) {
  public ListenerTls {
    certificates = List.copyOf(certificates);
    contexts = List.copyOf(contexts);
  }
}
