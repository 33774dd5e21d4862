package dev.tpp.config;

import dev.tpp.config.tls.CertificateFileException;
import dev.tpp.config.tls.CertificateFiles;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks {@code listen}'s options and {@code listeners[i]}: names, ports, redirects and the {@code
 * tls:} block.
 */
final class ListenerValidator {
  static final Duration MAX_HANDSHAKE_TIMEOUT = Duration.ofMinutes(5);

  private ListenerValidator() {}

  static void listeners(ProxyConfig config, Checks checks) {
    http2(config.http2(), checks);
    checks.range("listen.redirectToHttps", config.listenOptions().redirectToHttps(), 0, 65535);
    Set<String> names = new HashSet<>(Set.of(ListenerConfig.MAIN));
    Set<Integer> ports = new HashSet<>(List.of(config.listen().port(), config.admin().port()));
    for (int i = 0; i < config.listeners().size(); i++) {
      ListenerConfig listener = config.listeners().get(i);
      String path = "listeners[" + i + "]";
      checks.name(path + ".name", listener.name());
      if (listener.name() != null && !names.add(listener.name())) {
        checks.error(
            path + ".name",
            "duplicate listener name "
                + Durations.quote(listener.name())
                + (ListenerConfig.MAIN.equals(listener.name())
                    ? " (\"http\" is the listen: listener)"
                    : ""));
      }
      checks.required(path + ".address", listener.endpoint().address());
      if (listener.endpoint().port() == -1) {
        checks.error(path + ".port", "is required");
      } else {
        checks.range(path + ".port", listener.endpoint().port(), 0, 65535);
        if (listener.endpoint().port() != 0 && !ports.add(listener.endpoint().port())) {
          checks.error(
              path + ".port",
              listener.endpoint().port()
                  + " (expected: a port no other listener or admin "
                  + "uses)");
        }
      }
      checks.range(path + ".redirectToHttps", listener.redirectToHttps(), 0, 65535);
      if (listener.tls() != null) {
        if (listener.redirectToHttps() != 0) {
          checks.error(
              path + ".redirectToHttps", "is for plain listeners (expected: 0 on a TLS listener)");
        }
        tls(config, path + ".tls", listener.tls(), checks);
      }
    }
  }

  /**
   * RFC 9113 §6.5.2 bounds the SETTINGS values; the flood limits must let a well-behaved client
   * through.
   */
  private static void http2(Http2Config h, Checks checks) {
    checks.range("http2.maxConcurrentStreams", h.maxConcurrentStreams(), 1, 10_000);
    checks.size(
        "http2.maxHeaderListSize",
        h.maxHeaderListSize(),
        ConfigValidator.MIN_HEADER_LIMIT,
        ConfigValidator.MAX_HEADER_LIMIT);
    checks.size("http2.headerTableSize", h.headerTableSize(), 0, 64 * 1024);
    checks.size("http2.maxFrameSize", h.maxFrameSize(), 16 * 1024, 16 * 1024 * 1024 - 1);
    checks.size("http2.initialWindowSize", h.initialWindowSize(), 1024, Integer.MAX_VALUE);
    checks.range("http2.maxResets", h.maxResets(), 1, 1_000_000);
    checks.timeout("http2.resetWindow", h.resetWindow(), false, ConfigValidator.MAX_TIMEOUT);
    checks.range("http2.maxContinuationFrames", h.maxContinuationFrames(), 1, 10_000);
    checks.range("http2.maxEmptyFrames", h.maxEmptyFrames(), 1, 10_000);
    checks.range("http2.maxQueuedControlFrames", h.maxQueuedControlFrames(), 1, 10_000_000);
    checks.timeout("http2.stallTimeout", h.stallTimeout(), false, ConfigValidator.MAX_TIMEOUT);
  }

  private static void tls(ProxyConfig config, String path, TlsConfig tls, Checks checks) {
    if (tls.certificates().isEmpty()) {
      checks.error(path + ".certificates", "is empty (expected: at least one {certFile, keyFile})");
    }
    for (int c = 0; c < tls.certificates().size(); c++) {
      TlsConfig.Certificate cert = tls.certificates().get(c);
      checks.required(path + ".certificates[" + c + "].certFile", cert.certFile());
      checks.required(path + ".certificates[" + c + "].keyFile", cert.keyFile());
    }
    RouteValidator.pool(config, path + ".pool", tls.pool(), checks);
    if (tls.protocols().isEmpty()) {
      checks.error(path + ".protocols", "is empty (expected: some of " + TlsConfig.PROTOCOLS + ")");
    }
    for (int p = 0; p < tls.protocols().size(); p++) {
      if (!TlsConfig.PROTOCOLS.contains(tls.protocols().get(p))) {
        checks.error(
            path + ".protocols[" + p + "]",
            Durations.quote(tls.protocols().get(p))
                + " (expected: one of "
                + TlsConfig.PROTOCOLS
                + ")");
      }
    }
    checks.timeout(
        path + ".handshakeTimeout", tls.handshakeTimeout(), false, MAX_HANDSHAKE_TIMEOUT);
  }

  /**
   * Every certificate pair loads and can be served now (the proxy's file system; {@code --check}
   * and reloads).
   */
  static List<ConfigError> files(ProxyConfig config) {
    List<ConfigError> errors = new ArrayList<>();
    for (int i = 0; i < config.listeners().size(); i++) {
      TlsConfig tls = config.listeners().get(i).tls();
      for (int c = 0; tls != null && c < tls.certificates().size(); c++) {
        TlsConfig.Certificate cert = tls.certificates().get(c);
        if (cert.certFile() == null || cert.keyFile() == null) {
          continue; // reported by listeners()
        }
        try {
          CertificateFiles.load(cert.certFile(), cert.keyFile(), cert.serverNames(), Instant.now());
        } catch (CertificateFileException e) {
          errors.add(
              new ConfigError(
                  "listeners[" + i + "].tls.certificates[" + c + "]",
                  String.valueOf(e.getMessage())));
        }
      }
    }
    return errors;
  }
}
