package dev.tpp.operator.validation;

import dev.tpp.config.tls.CertificateFileException;
import dev.tpp.config.tls.CertificateFiles;
import dev.tpp.crds.TlsSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks each {@code spec.tls} Secret the way a pod will load it: the Secret exists, holds {@code
 * tls.crt} and {@code tls.key}, and the pair passes the proxy's own {@link CertificateFiles} check
 * (parses, key matches, valid now, covers the hosts). A pair the proxy would refuse at start must
 * not ship: the pods would crash-loop on it. Writes each pair to a private temporary directory for
 * the check (CertificateFiles reads files) and deletes it.
 */
final class TlsSecretCheck {
  private TlsSecretCheck() {}

  /** One message per problem, each naming {@code spec.tls[i]} and the Secret. */
  static List<String> errors(
      List<TlsSpec> tls, Map<String, Map<String, String>> secrets, Instant now) {
    List<String> errors = new ArrayList<>();
    for (int i = 0; tls != null && i < tls.size(); i++) {
      String name = tls.get(i).secretName;
      String field = "spec.tls[" + i + "].secretName: Secret " + name;
      Map<String, String> data = secrets.get(name);
      if (data == null) {
        errors.add(field + " not found");
        continue;
      }
      List<String> missing = new ArrayList<>();
      for (String key : List.of(TlsSecrets.CERT_KEY, TlsSecrets.KEY_KEY)) {
        if (data.get(key) == null || data.get(key).isBlank()) {
          missing.add(key);
        }
      }
      if (!missing.isEmpty()) {
        errors.add(
            field
                + " has no "
                + String.join(" and no ", missing)
                + " (expected: a kubernetes.io/tls Secret with tls.crt and tls.key)");
        continue;
      }
      String problem =
          pairProblem(data, tls.get(i).hosts == null ? List.of() : tls.get(i).hosts, now);
      if (problem != null) {
        errors.add(field + ": " + problem);
      }
    }
    return errors;
  }

  /**
   * The proxy's verdict on the pair, with the temporary directory left out of the message; null
   * when it loads.
   */
  private static String pairProblem(Map<String, String> data, List<String> hosts, Instant now) {
    Path dir = null;
    try {
      dir =
          Files.createTempDirectory(
              "tpp-tls",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path cert =
          Files.writeString(
              dir.resolve(TlsSecrets.CERT_KEY),
              data.get(TlsSecrets.CERT_KEY),
              StandardCharsets.ISO_8859_1);
      Path key =
          Files.writeString(
              dir.resolve(TlsSecrets.KEY_KEY),
              data.get(TlsSecrets.KEY_KEY),
              StandardCharsets.ISO_8859_1);
      CertificateFiles.load(cert.toString(), key.toString(), hosts, now);
      return null;
    } catch (CertificateFileException e) {
      return e.getMessage().replace(dir + "/", "");
    } catch (IOException e) {
      throw new UncheckedIOException("writing a certificate pair to check it", e);
    } finally {
      delete(dir);
    }
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try {
      Files.deleteIfExists(dir.resolve(TlsSecrets.CERT_KEY));
      Files.deleteIfExists(dir.resolve(TlsSecrets.KEY_KEY));
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("removing " + dir, e);
    }
  }
}
