package dev.tpp.proxy.tls;

import dev.tpp.config.TlsConfig;
import dev.tpp.config.tls.CertificateFileException;
import dev.tpp.config.tls.CertificatePair;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.OpenSslX509KeyManagerFactory;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Builds BoringSSL server contexts. The context is keyless: BoringSSL holds only the certificate
 * chain, and every private-key operation goes through the {@link PooledKeyMethod}. ALPN offers
 * {@code h2} then {@code http/1.1} on a listener with {@code http2: true}, {@code http/1.1}
 * otherwise. Control thread.
 *
 * <p>The contexts are reference-counted ({@code OPENSSL_REFCNT}): their engines have no finalizer.
 * With {@code OPENSSL} every connection's engine is finalizable, so under a handshake storm each
 * one survives a young collection on its way to the finalizer thread, and those copies made every
 * young pause several times longer (docs/tls.md, "What runs where"). An engine is freed when its
 * SslHandler leaves the pipeline (the connection closes); a context when {@link TlsContexts} drops
 * it and its last engine is gone.
 */
final class ServerContexts {
  private static final ApplicationProtocolConfig ALPN_HTTP1 =
      alpn(ApplicationProtocolNames.HTTP_1_1);

  /** h2 first: a client that offers both gets HTTP/2. */
  private static final ApplicationProtocolConfig ALPN_H2 =
      alpn(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);

  private ServerContexts() {}

  private static ApplicationProtocolConfig alpn(String... protocols) {
    return new ApplicationProtocolConfig(
        ApplicationProtocolConfig.Protocol.ALPN,
        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
        protocols);
  }

  static SslContext build(
      CertificatePair pair, TlsConfig tls, boolean http2, PooledKeyMethod keyMethod)
      throws CertificateFileException {
    try {
      return SslContextBuilder.forServer(
              OpenSslX509KeyManagerFactory.newKeyless(pair.chain().toArray(X509Certificate[]::new)))
          .sslProvider(SslProvider.OPENSSL_REFCNT)
          .protocols(tls.protocols())
          .applicationProtocolConfig(http2 ? ALPN_H2 : ALPN_HTTP1)
          .option(OpenSslContextOption.ASYNC_PRIVATE_KEY_METHOD, keyMethod)
          .build();
    } catch (GeneralSecurityException | IOException e) {
      throw new CertificateFileException(
          pair.certFile() + ": BoringSSL refused it (" + e.getMessage() + ")");
    }
  }

  /**
   * Exact names first, then one-label wildcards (Netty's mapping does both); unknown names get the
   * first pair.
   */
  static Mapping<String, SslContext> sni(List<CertificatePair> pairs, List<SslContext> contexts) {
    DomainWildcardMappingBuilder<SslContext> mapping =
        new DomainWildcardMappingBuilder<>(contexts.get(0));
    for (int i = pairs.size() - 1; i >= 0; i--) { // earlier pairs win a name two certificates share
      for (String name : pairs.get(i).names()) {
        mapping.add(name, contexts.get(i));
      }
    }
    return mapping.build();
  }
}
