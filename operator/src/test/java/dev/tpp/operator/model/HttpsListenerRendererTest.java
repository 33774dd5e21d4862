package dev.tpp.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.ConfigLoader;
import dev.tpp.config.ListenerConfig;
import dev.tpp.config.PoolConfig;
import dev.tpp.config.ProxyConfig;
import dev.tpp.config.TlsConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * spec.tls as the proxy will read it: the rendered proxy.yaml loaded by the proxy's own
 * ConfigLoader.
 */
class HttpsListenerRendererTest {
  static ProxyConfig rendered(String spec) throws Exception {
    String yaml = ProxyYamlRenderer.render(Fixtures.proxy("web", "ns", spec));
    return ConfigLoader.parse(yaml, Path.of(Names.CONFIG_DIR), false);
  }

  @Test
  void eachSecretBecomesACertificateOfTheHttpsListenerInOrder() throws Exception {
    ProxyConfig config =
        rendered(
            """
        routes: [{path: /, return: {status: 200}}]
        tls:
          - {secretName: site-tls, hosts: [www.example.com, example.com]}
          - {secretName: wildcard.tls, hosts: ['*.example.org']}
        """);
    ListenerConfig https = config.listeners().get(0);
    assertEquals(List.of("https"), config.listeners().stream().map(ListenerConfig::name).toList());
    assertEquals(8443, https.endpoint().port());
    assertEquals("0.0.0.0", https.endpoint().address());
    assertEquals(
        List.of(
            new TlsConfig.Certificate(
                "/etc/tpp/tls/site-tls/tls.crt",
                "/etc/tpp/tls/site-tls/tls.key",
                List.of("www.example.com", "example.com")),
            new TlsConfig.Certificate(
                "/etc/tpp/tls/wildcard.tls/tls.crt",
                "/etc/tpp/tls/wildcard.tls/tls.key",
                List.of("*.example.org"))),
        https.tls().certificates());
    assertEquals("tls", https.tls().pool());
  }

  @Test
  void addsTheTlsPoolOnlyWhenPoolsHasNone() throws Exception {
    PoolConfig added =
        rendered(
                """
        pools: [{name: waf, threads: 4}]
        tls: [{secretName: site}]
        """)
            .pool("tls");
    assertEquals(2, added.threads());
    assertEquals(1024, added.maxQueue());
    assertEquals(PoolConfig.Overflow.REJECT, added.overflow());
    ProxyConfig own =
        rendered(
            """
        pools: [{name: tls, threads: 0}]
        tls: [{secretName: site}]
        """);
    assertEquals(1, own.pools().size());
    assertEquals(0, own.pool("tls").threads());
  }

  @Test
  void hostsLeftOutMeanTheCertificatesOwnNamesAndTheListenAddressIsShared() throws Exception {
    ProxyConfig config =
        rendered(
            """
        listen: {address: 10.0.0.1, port: 8080, redirectToHttps: 443}
        tls: [{secretName: site}]
        """);
    assertEquals(List.of(), config.listeners().get(0).tls().certificates().get(0).serverNames());
    assertEquals("10.0.0.1", config.listeners().get(0).endpoint().address());
    assertEquals(443, config.listenOptions().redirectToHttps());
  }

  @Test
  void withoutTlsNothingIsAdded() throws Exception {
    String yaml =
        ProxyYamlRenderer.render(Fixtures.proxy("web", "ns", "pools: [{name: waf, threads: 4}]"));
    assertFalse(yaml.contains("listeners"), yaml);
    assertFalse(yaml.contains("tls"), yaml);
    assertTrue(rendered("pools: [{name: waf, threads: 4}]").listeners().isEmpty());
  }
}
