package dev.tpp.config;

import static dev.tpp.config.LoadResults.errors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tpp.config.tls.OpensslCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenerConfigTest {
  @TempDir Path dir;

  private static final String POOLS = "pools: [{name: tls, threads: 2}]\n";

  @Test
  void readsTlsListenerWithDefaults() throws Exception {
    Path[] pair = OpensslCertificates.make(dir, "site", "ec", 30, "site.test");
    ProxyConfig c =
        ConfigLoader.parse(
            POOLS
                + "listeners: [{name: https, port: 8443, tls: {certificates: "
                + "[{certFile: site.crt, keyFile: site.key}]}}]\n",
            dir);
    ListenerConfig https = c.allListeners().get(1);
    assertEquals("https", https.name());
    assertEquals(new Endpoint("0.0.0.0", 8443), https.endpoint());
    assertEquals(
        List.of(new TlsConfig.Certificate(pair[0].toString(), pair[1].toString(), List.of())),
        https.tls().certificates());
    assertEquals("tls", https.tls().pool());
    assertEquals(List.of("TLSv1.2", "TLSv1.3"), https.tls().protocols());
    assertEquals(Duration.ofSeconds(10), https.tls().handshakeTimeout());
    ListenerConfig main = c.allListeners().get(0);
    assertEquals("http", main.name());
    assertNull(main.tls());
  }

  @Test
  void rendersListenersAndKeepsOldConfigsHash() throws Exception {
    OpensslCertificates.make(dir, "site", "ec", 30, "site.test");
    ProxyConfig c =
        ConfigLoader.parse(
            POOLS
                + "listen: {port: 8080, redirectToHttps: 443}\nlisteners: [{name: "
                + "https, port: 8443, tls: {certificates: [{certFile: site.crt, keyFile: site.key, serverNames: [site.test]}],"
                + " protocols: [TLSv1.3], handshakeTimeout: 5s}}]\n",
            dir);
    assertEquals(c, ConfigLoader.parse(ConfigRenderer.toYaml(c), dir));
    ProxyConfig plain = ConfigLoader.parse("workers: 1\n", dir);
    assertEquals(-1, ConfigRenderer.toYaml(plain).indexOf("listeners"));
    assertEquals(-1, ConfigRenderer.toYaml(plain).indexOf("redirectToHttps"));
  }

  @Test
  void namesEveryBadListenerField() {
    assertEquals(
        List.of(
            "listeners[0].name: duplicate listener name \"http\" (\"http\" is the listen: listener)",
            "listeners[0].port: 9090 (expected: a port no other listener or admin uses)",
            "listeners[1].port: is required",
            "listeners[1].tls.certificates: is empty (expected: at least one {certFile, keyFile})",
            "listeners[1].tls.pool: unknown pool \"fast\"",
            "listeners[1].tls.protocols[0]: \"TLSv1\" (expected: one of [TLSv1.2, TLSv1.3])",
            "listeners[1].tls.handshakeTimeout: 0s (expected: > 0)",
            "listeners[2].redirectToHttps: 70000 (expected: <= 65535)"),
        errors(
            "listeners:\n"
                + "  - {name: http, port: 9090}\n"
                + "  - {name: https, tls: {certificates: [], pool: fast, protocols: [TLSv1], handshakeTimeout: 0}}\n"
                + "  - {name: h2, port: 8081, http2: true, redirectToHttps: 70000}\n"));
  }

  @Test
  void readsAndBoundsHttp2Limits() throws Exception {
    ProxyConfig c =
        ConfigLoader.parse(
            "listen: {http2: true}\nhttp2: {maxConcurrentStreams: 50, maxFrameSize: 32Ki,"
                + " stallTimeout: 5s}\n",
            dir);
    assertEquals(true, c.listenOptions().http2());
    assertEquals(50, c.http2().maxConcurrentStreams());
    assertEquals(32 * 1024, c.http2().maxFrameSize());
    assertEquals(Duration.ofSeconds(5), c.http2().stallTimeout());
    assertEquals(c, ConfigLoader.parse(ConfigRenderer.toYaml(c), dir));
    assertEquals(
        List.of(
            "http2.maxConcurrentStreams: 0 (expected: >= 1)",
            "http2.maxFrameSize: 8Ki (expected: >= 16Ki)"),
        errors("http2: {maxConcurrentStreams: 0, maxFrameSize: 8Ki}\n"));
  }

  @Test
  void checksCertificateFilesWithTheConfig() throws Exception {
    Path[] a = OpensslCertificates.make(dir, "a", "ec", 30, "a.test");
    Path[] b = OpensslCertificates.make(dir, "b", "ec", 30, "b.test");
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.parse(
                    POOLS
                        + "listeners: [{name: "
                        + "https, port: 8443, tls: {certificates: [{certFile: a.crt, keyFile: b.key}]}}]\n",
                    dir));
    assertEquals(
        List.of(
            "listeners[0].tls.certificates[0]: "
                + b[1]
                + ": the private key does not match the certificate in "
                + a[0]),
        e.errors().stream().map(ConfigError::toString).toList());
  }
}
