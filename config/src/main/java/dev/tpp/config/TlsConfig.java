package dev.tpp.config;

import java.time.Duration;
import java.util.List;

/**
 * TLS on a listener: certificate and key files (PEM; the first pair is the default, the others are
 * chosen by SNI, exact name first, then {@code *.} wildcard), the pool that runs private-key
 * operations, the protocol versions, and how long a handshake may take. The files' contents are not
 * part of the config: they are watched and swapped live.
 */
public record TlsConfig(
    List<Certificate> certificates,
    String pool,
    List<String> protocols,
    Duration handshakeTimeout) {
  /** The protocol versions a listener accepts; older ones are never offered. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");

  public TlsConfig {
    certificates = List.copyOf(certificates);
    protocols = List.copyOf(protocols);
  }

  /**
   * A PEM certificate chain (leaf first) and its private key (PKCS#8, PKCS#1 RSA or SEC1 EC).
   * {@code serverNames}, when given, are the SNI names it is chosen for and must all be covered by
   * the certificate (a renewed certificate that drops one is refused); empty means the names in the
   * certificate.
   */
  public record Certificate(String certFile, String keyFile, List<String> serverNames) {
    public Certificate {
      serverNames = List.copyOf(serverNames);
    }
  }
}
