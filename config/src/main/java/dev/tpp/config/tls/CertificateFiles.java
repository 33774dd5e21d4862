package dev.tpp.config.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a PEM certificate chain and key and refuses a pair that must not be served: unparsable, a
 * key that does not belong to the certificate, expired or not yet valid, or not covering a required
 * server name. Used by the proxy on start and on every rotation, and by {@code --check}. Blocking
 * file I/O and a test signature: call it on a control thread, never on an event loop.
 */
public final class CertificateFiles {
  /** PEM chains and keys are a few KiB; a larger file is not one. */
  private static final long MAX_PEM_BYTES = 1024 * 1024;

  private CertificateFiles() {}

  /**
   * The checked pair; {@code serverNames} empty means "the names in the certificate". Throws with a
   * message that names the file and the reason.
   */
  public static CertificatePair load(
      String certFile, String keyFile, List<String> serverNames, Instant now)
      throws CertificateFileException {
    List<X509Certificate> chain = chain(certFile);
    PrivateKey key = key(keyFile);
    X509Certificate leaf = chain.get(0);
    if (!matches(key, leaf)) {
      throw new CertificateFileException(
          keyFile + ": the private key does not match the certificate in " + certFile);
    }
    if (now.isAfter(leaf.getNotAfter().toInstant())) {
      throw new CertificateFileException(
          certFile + ": certificate expired at " + leaf.getNotAfter().toInstant());
    }
    if (now.isBefore(leaf.getNotBefore().toInstant())) {
      throw new CertificateFileException(
          certFile + ": certificate not valid before " + leaf.getNotBefore().toInstant());
    }
    List<String> names = ServerNames.of(leaf);
    for (String wanted : serverNames) {
      if (!ServerNames.covers(names, wanted)) {
        throw new CertificateFileException(
            certFile
                + ": certificate does not cover server name \""
                + wanted
                + "\" (it has "
                + names
                + ")");
      }
    }
    return new CertificatePair(
        certFile, keyFile, chain, key, serverNames.isEmpty() ? names : serverNames);
  }

  private static List<X509Certificate> chain(String certFile) throws CertificateFileException {
    String pem = read(certFile);
    List<X509Certificate> chain = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (byte[] der : PemBlocks.all(pem, "CERTIFICATE")) {
        chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new CertificateFileException(
          certFile + ": not a valid PEM certificate (" + e.getMessage() + ")");
    }
    if (chain.isEmpty()) {
      throw new CertificateFileException(
          certFile + ": no PEM certificate found (expected: BEGIN CERTIFICATE)");
    }
    return chain;
  }

  private static PrivateKey key(String keyFile) throws CertificateFileException {
    try {
      return PemKeys.decode(read(keyFile));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new CertificateFileException(keyFile + ": " + e.getMessage());
    }
  }

  /**
   * Signs a probe with the key and verifies it with the certificate: the one check that works for
   * every algorithm.
   */
  private static boolean matches(PrivateKey key, X509Certificate leaf) {
    String algorithm =
        key.getAlgorithm().equals("EC")
            ? "SHA256withECDSA"
            : key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : key.getAlgorithm();
    byte[] probe = "tpp key check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signer.sign());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static String read(String file) throws CertificateFileException {
    Path path = Path.of(file);
    try {
      // a device such as /dev/zero or /dev/stdin would never end: --check and reloads must not hang
      // on a typo
      if (!Files.isRegularFile(path)) {
        throw new CertificateFileException(file + ": cannot read (not a regular file)");
      }
      if (Files.size(path) > MAX_PEM_BYTES) {
        throw new CertificateFileException(
            file + ": cannot read (larger than " + MAX_PEM_BYTES / 1024 + " KiB)");
      }
      return Files.readString(path, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new CertificateFileException(file + ": cannot read (" + e.getMessage() + ")");
    }
  }
}
