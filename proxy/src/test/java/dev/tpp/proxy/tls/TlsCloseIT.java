package dev.tpp.proxy.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.tls.OpensslCertificates;
import dev.tpp.proxy.testing.TestProxy;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How a TLS connection ends after a response that announced the close (every connection of a
 * connection-per-request client, such as a handshake storm): the client gets a {@code close_notify}
 * before the TCP close, and the connection's engine is freed with it, not left to the finalizer
 * thread and the next collections. Real sockets: {@code openssl s_client} and the JDK's TLS client.
 */
class TlsCloseIT {
  private static final String CLOSE =
      "GET /hello HTTP/1.1\r\nHost: site.test\r\nConnection: close\r\n\r\n";

  /**
   * A class histogram's line for the finalizable engine of Netty's non-reference-counted contexts.
   */
  private static final Pattern FINALIZABLE_ENGINES =
      Pattern.compile(
          "^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+io\\.netty\\.handler\\.ssl\\.OpenSslEngine(\\s|$)",
          Pattern.MULTILINE);

  @TempDir Path dir;

  @BeforeEach
  void certificates() throws Exception {
    OpensslCertificates.make(dir, "site", "rsa", 30, "site.test");
  }

  /**
   * threads 1: the handshake on a handshake loop, the close on the worker; 0: both on the worker.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 0})
  void aGetWithConnectionCloseEndsWithCloseNotify(int threads) throws Exception {
    try (TestProxy proxy = TestProxy.start(TlsHandshakeLoopsIT.config(threads, "low"), dir, null)) {
      String out = TlsClients.sClient(proxy.server().port("https"), "site.test", CLOSE, "-quiet");
      assertTrue(out.contains("HTTP/1.1 200 ") && out.contains("hello"), out);
      // without close_notify OpenSSL reports the end as a truncation
      assertFalse(out.contains("unexpected eof"), out);
    }
  }

  @Test
  void closedConnectionsLeaveNoEngineForTheFinalizer() throws Exception {
    try (TestProxy proxy = TestProxy.start(TlsHandshakeLoopsIT.config(1, "low"), dir, null)) {
      int port = proxy.server().port("https");
      // engines other tests' clients left to the finalizer go first; what stays is live
      System.gc();
      System.runFinalization();
      long before = finalizableEngines();
      for (int i = 0; i < 30; i++) {
        try (SSLSocket socket = TrustingTls.connect(port, "site.test")) {
          String response = TrustingTls.get(socket, "/hello");
          assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        }
      }
      assertEquals(
          30,
          proxy
              .metrics()
              .value("tpp_tls_handshakes_total", "listener", "https", "result", "success"));
      long after = finalizableEngines();
      assertTrue(
          after <= before,
          "30 closed connections left " + (after - before) + " engines for the finalizer");
    }
  }

  /**
   * Finalizable engines in this JVM's heap, reachable or waiting for the finalizer ({@code jcmd
   * GC.class_histogram}: a full collection first, which queues the unreachable ones).
   */
  private static long finalizableEngines() throws Exception {
    String histogram =
        (String)
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram",
                    new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
    Matcher m = FINALIZABLE_ENGINES.matcher(histogram);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
