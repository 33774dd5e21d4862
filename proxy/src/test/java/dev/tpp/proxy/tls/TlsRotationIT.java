package dev.tpp.proxy.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.tls.OpensslCertificates;
import dev.tpp.proxy.reload.ConfigMapDir;
import dev.tpp.proxy.reload.ConfigReloader;
import dev.tpp.proxy.reload.ConfigWatcher;
import dev.tpp.proxy.testing.Await;
import dev.tpp.proxy.testing.TestProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Secret-style volume update swaps the certificate for new handshakes; a bad pair never replaces
 * a good one.
 */
class TlsRotationIT {
  @TempDir Path dir;

  @Test
  void newHandshakesGetTheRenewedCertificateWhileEstablishedConnectionsGoOn() throws Exception {
    Path[] a = OpensslCertificates.make(dir, "a", "ec", 30, "site.test");
    Path[] b = OpensslCertificates.make(dir, "b", "rsa", 30, "site.test");
    ConfigMapDir secret =
        ConfigMapDir.create(Files.createDirectory(dir.resolve("secret")), pair(a[0], a[1]));
    Path file =
        Files.writeString(
            dir.resolve("proxy.yaml"),
            TestProxy.withEphemeralPorts(
                """
        workers: 1
        pools: [{name: tls, threads: 1, maxQueue: 16}]
        listeners:
          - {name: https, address: 127.0.0.1, port: 0,
             tls: {certificates: [{certFile: secret/tls.crt, keyFile: secret/tls.key}]}}
        routes: [{path: /hello, return: {status: 200, body: "hello"}}]
        """));
    try (TestProxy proxy = TestProxy.start(Files.readString(file), dir, null);
        ConfigWatcher watcher =
            ConfigWatcher.start(
                file, new ConfigReloader(file, proxy.server(), Files.readAllBytes(file)));
        SSLSocket established = TrustingTls.connect(proxy.server().port("https"), "site.test")) {
      int port = proxy.server().port("https");
      String hash = proxy.server().configHash();
      assertEquals(TlsClients.serialOf(a[0]), TlsClients.servedSerial(port, "site.test"));
      assertTrue(TrustingTls.get(established, "/hello").startsWith("HTTP/1.1 200"));

      secret.update(pair(b[0], b[1]));
      Await.until(
          "the renewed pair is in force", () -> served(proxy).equals(TlsClients.serialOf(b[0])));
      assertEquals(
          TlsClients.serialOf(b[0]), TlsClients.servedSerial(port, "site.test"), "new handshakes");
      assertTrue(
          TrustingTls.get(established, "/hello").startsWith("HTTP/1.1 200"),
          "established connection");
      assertEquals(hash, proxy.server().configHash(), "certificates are outside the config hash");

      secret.update(pair(b[0], a[1])); // a key that does not belong to the certificate
      Await.until("the bad pair is noticed", () -> proxy.server().lastError() != null);
      assertTrue(
          proxy.server().lastError().contains("the private key does not match the certificate"),
          proxy.server().lastError());
      assertTrue(
          proxy.server().lastError().startsWith("listeners[0].tls.certificates[0]: "),
          proxy.server().lastError());
      assertEquals(1, proxy.metrics().value("tpp_config_reloads_total", "result", "failure"));
      assertEquals(
          TlsClients.serialOf(b[0]),
          TlsClients.servedSerial(port, "site.test"),
          "the last good pair");

      secret.update(pair(a[0], a[1]));
      Await.until(
          "a good pair after a bad one", () -> served(proxy).equals(TlsClients.serialOf(a[0])));
      assertEquals(null, proxy.server().lastError());
    }
  }

  /**
   * The serial in force, as {@code openssl x509 -serial} prints it (hex, upper case, whole bytes).
   */
  private static String served(TestProxy proxy) {
    byte[] bytes =
        proxy
            .server()
            .tls()
            .forListener("https")
            .certificates()
            .get(0)
            .leaf()
            .getSerialNumber()
            .toByteArray();
    StringBuilder hex = new StringBuilder("serial=");
    for (int i = bytes.length > 1 && bytes[0] == 0 ? 1 : 0; i < bytes.length; i++) {
      hex.append(String.format("%02X", bytes[i]));
    }
    return hex.toString();
  }

  private static Map<String, byte[]> pair(Path crt, Path key) throws Exception {
    return Map.of("tls.crt", Files.readAllBytes(crt), "tls.key", Files.readAllBytes(key));
  }
}
