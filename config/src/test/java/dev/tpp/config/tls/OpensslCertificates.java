package dev.tpp.config.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made at test time by the real {@code openssl} command, as a user's tooling would
 * make them.
 */
public final class OpensslCertificates {
  private OpensslCertificates() {}

  /**
   * A self-signed pair in {@code dir}: {@code NAME.crt} and {@code NAME.key}; {@code keyType} "rsa"
   * (PKCS#1 key file, as cert-manager writes), "rsa8" (PKCS#8), or "ec" (SEC1 P-256). {@code days}
   * negative makes it expired.
   */
  public static Path[] make(Path dir, String name, String keyType, int days, String... dnsNames)
      throws IOException, InterruptedException {
    Path crt = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    Path raw = dir.resolve(name + ".raw.key");
    if (keyType.equals("ec")) {
      run(
          dir,
          "openssl",
          "ecparam",
          "-name",
          "prime256v1",
          "-genkey",
          "-noout",
          "-out",
          key.toString());
    } else {
      run(
          dir,
          "openssl",
          "genpkey",
          "-algorithm",
          "RSA",
          "-pkeyopt",
          "rsa_keygen_bits:2048",
          "-out",
          raw.toString());
      if (keyType.equals("rsa")) {
        run(dir, "openssl", "rsa", "-in", raw.toString(), "-traditional", "-out", key.toString());
      } else {
        Files.move(raw, key);
      }
    }
    List<String> req =
        new ArrayList<>(
            List.of(
                "openssl",
                "req",
                "-new",
                "-key",
                key.toString(),
                "-subj",
                "/CN=" + dnsNames[0],
                "-addext",
                "subjectAltName=" + sans(dnsNames)));
    if (days >= 0) {
      req.addAll(List.of("-x509", "-days", String.valueOf(days), "-out", crt.toString()));
      run(dir, req.toArray(String[]::new));
    } else { // openssl 3.0's req cannot backdate: sign the request with `openssl ca` and explicit
      // dates
      Path csr = dir.resolve(name + ".csr");
      req.addAll(List.of("-out", csr.toString()));
      run(dir, req.toArray(String[]::new));
      Path ca = Files.createTempDirectory(dir, "ca");
      Files.writeString(ca.resolve("index.txt"), "");
      Files.writeString(ca.resolve("serial"), "01\n");
      Files.writeString(
          ca.resolve("ca.cnf"),
          "[ca]\ndefault_ca=d\n[d]\ndatabase=index.txt\nnew_certs_dir=.\n"
              + "serial=serial\ndefault_md=sha256\npolicy=p\ncopy_extensions=copy\n[p]\ncommonName=supplied\n");
      run(
          ca,
          "openssl",
          "ca",
          "-batch",
          "-selfsign",
          "-config",
          "ca.cnf",
          "-keyfile",
          key.toString(),
          "-in",
          csr.toString(),
          "-out",
          crt.toString(),
          "-startdate",
          "20200101000000Z",
          "-enddate",
          "20200102000000Z",
          "-notext");
    }
    Files.deleteIfExists(raw);
    return new Path[] {crt, key};
  }

  /** {@code DNS:name} for each name; an entry written {@code IP:127.0.0.1} is taken as it is. */
  private static String sans(String... names) {
    List<String> sans = new ArrayList<>();
    for (String n : names) {
      sans.add(n.startsWith("IP:") ? n : "DNS:" + n);
    }
    return String.join(",", sans);
  }

  private static void run(Path dir, String... command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
  }
}
