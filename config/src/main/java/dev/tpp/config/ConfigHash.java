package dev.tpp.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short, stable fingerprint of a {@link ProxyConfig}: the first 16 hex digits of the SHA-256 of
 * its canonical rendering ({@link ConfigRenderer#toYaml}). Equal configs hash equal on every pod
 * and in the operator; any field change changes it. Published as {@code tpp_config_info{hash}},
 * {@code GET /config} and the CR's {@code configHash}.
 */
public final class ConfigHash {
  private ConfigHash() {}

  public static String of(ProxyConfig config) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] digest = sha256.digest(ConfigRenderer.toYaml(config).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
