package dev.tpp.config.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CertificateFilesTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"rsa", "rsa8", "ec"})
  void loadsEveryKeyEncodingThatToolsWrite(String keyType) throws Exception {
    Path[] pair = OpensslCertificates.make(dir, "site", keyType, 30, "site.test", "*.site.test");
    CertificatePair loaded =
        CertificateFiles.load(pair[0].toString(), pair[1].toString(), List.of(), Instant.now());
    assertEquals(List.of("site.test", "*.site.test"), loaded.names());
    assertEquals(keyType.equals("ec") ? "EC" : "RSA", loaded.key().getAlgorithm());
    assertTrue(loaded.notAfter().isAfter(Instant.now()));
  }

  @Test
  void refusesAKeyOfAnotherCertificate() throws Exception {
    Path[] a = OpensslCertificates.make(dir, "a", "ec", 30, "a.test");
    Path[] b = OpensslCertificates.make(dir, "b", "ec", 30, "b.test");
    CertificateFileException e =
        assertThrows(
            CertificateFileException.class,
            () ->
                CertificateFiles.load(a[0].toString(), b[1].toString(), List.of(), Instant.now()));
    assertEquals(
        b[1] + ": the private key does not match the certificate in " + a[0], e.getMessage());
  }

  @Test
  void refusesAnExpiredCertificate() throws Exception {
    Path[] old = OpensslCertificates.make(dir, "old", "ec", -1, "old.test");
    CertificateFileException e =
        assertThrows(
            CertificateFileException.class,
            () ->
                CertificateFiles.load(
                    old[0].toString(), old[1].toString(), List.of(), Instant.now()));
    assertEquals(old[0] + ": certificate expired at 2020-01-02T00:00:00Z", e.getMessage());
  }

  @Test
  void refusesACertificateThatDropsARequiredName() throws Exception {
    Path[] pair = OpensslCertificates.make(dir, "site", "ec", 30, "www.site.test");
    CertificateFileException e =
        assertThrows(
            CertificateFileException.class,
            () ->
                CertificateFiles.load(
                    pair[0].toString(),
                    pair[1].toString(),
                    List.of("api.site.test"),
                    Instant.now()));
    assertTrue(
        e.getMessage()
            .endsWith("does not cover server name \"api.site.test\" (it has [www.site.test])"),
        e.getMessage());
  }

  @Test
  void refusesGarbageAndMissingFiles() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.crt"), "not a certificate\n");
    Path[] pair = OpensslCertificates.make(dir, "site", "ec", 30, "site.test");
    assertEquals(
        junk + ": no PEM certificate found (expected: BEGIN CERTIFICATE)",
        assertThrows(
                CertificateFileException.class,
                () ->
                    CertificateFiles.load(
                        junk.toString(), pair[1].toString(), List.of(), Instant.now()))
            .getMessage());
    assertTrue(
        assertThrows(
                CertificateFileException.class,
                () ->
                    CertificateFiles.load(
                        pair[0].toString(),
                        dir.resolve("none.key").toString(),
                        List.of(),
                        Instant.now()))
            .getMessage()
            .startsWith(dir.resolve("none.key") + ": cannot read"));
  }

  @Test
  void refusesADeviceInsteadOfReadingItForever() throws Exception {
    Path[] pair = OpensslCertificates.make(dir, "site", "ec", 30, "site.test");
    assertEquals(
        "/dev/zero: cannot read (not a regular file)",
        assertThrows(
                CertificateFileException.class,
                () ->
                    CertificateFiles.load(
                        "/dev/zero", pair[1].toString(), List.of(), Instant.now()))
            .getMessage());
  }

  @Test
  void wildcardCoversExactlyOneLabel() {
    assertTrue(ServerNames.covers(List.of("*.site.test"), "a.site.test"));
    assertTrue(!ServerNames.covers(List.of("*.site.test"), "a.b.site.test"));
    assertTrue(!ServerNames.covers(List.of("*.site.test"), "site.test"));
  }
}
