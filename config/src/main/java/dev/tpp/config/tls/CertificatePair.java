package dev.tpp.config.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A loaded and checked certificate chain (leaf first) with its private key and the server names it
 * is chosen for (the configured {@code serverNames}, else the leaf's DNS subject alternative names,
 * else its CN). Immutable.
 */
public record CertificatePair(
    String certFile,
    String keyFile,
    List<X509Certificate> chain,
    PrivateKey key,
    List<String> names) {
  public CertificatePair {
    chain = List.copyOf(chain);
    names = List.copyOf(names);
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  public Instant notAfter() {
    return leaf().getNotAfter().toInstant();
  }

  /**
   * The name shown in metrics and logs: the first server name, or the file when the certificate has
   * none.
   */
  public String serverName() {
    return names.isEmpty() ? certFile : names.get(0);
  }
}
