package dev.tpp.operator.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The data of a {@code kubernetes.io/tls} Secret, made at test time by the real {@code openssl} (an
 * EC P-256 key in SEC1 form and a self-signed certificate for the given DNS names, as
 * cert-manager's selfSigned issuer makes them).
 */
public final class TlsSecretData {
  private TlsSecretData() {}

  /** {@code tls.crt} and {@code tls.key} as PEM text. */
  public static Map<String, String> pem(String... dnsNames) {
    try {
      Path dir = Files.createTempDirectory("tpp-test-tls");
      openssl(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "tls.key");
      openssl(
          dir,
          "req",
          "-x509",
          "-key",
          "tls.key",
          "-days",
          "30",
          "-subj",
          "/CN=" + dnsNames[0],
          "-addext",
          "subjectAltName=DNS:" + String.join(",DNS:", dnsNames),
          "-out",
          "tls.crt");
      Map<String, String> pem =
          Map.of(
              "tls.crt",
              Files.readString(dir.resolve("tls.crt")),
              "tls.key",
              Files.readString(dir.resolve("tls.key")));
      Files.delete(dir.resolve("tls.crt"));
      Files.delete(dir.resolve("tls.key"));
      Files.delete(dir);
      return pem;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The same, base64-encoded as a Secret's {@code data} holds it. */
  public static Map<String, String> base64(String... dnsNames) {
    Base64.Encoder encoder = Base64.getEncoder();
    Map<String, String> pem = pem(dnsNames);
    return Map.of(
        "tls.crt",
        encoder.encodeToString(pem.get("tls.crt").getBytes(StandardCharsets.US_ASCII)),
        "tls.key",
        encoder.encodeToString(pem.get("tls.key").getBytes(StandardCharsets.US_ASCII)));
  }

  private static void openssl(Path dir, String... args) throws IOException {
    String[] command = new String[args.length + 1];
    command[0] = "openssl";
    System.arraycopy(args, 0, command, 1, args.length);
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
