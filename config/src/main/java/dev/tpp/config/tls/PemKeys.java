package dev.tpp.config.tls;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;

/**
 * Decodes a PEM private key in the three encodings that certificate tools write: PKCS#8 ({@code
 * BEGIN PRIVATE KEY}), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}, cert-manager's default for RSA)
 * and SEC1 EC ({@code BEGIN EC PRIVATE KEY}). The JDK reads only PKCS#8, so the other two are
 * wrapped into a PKCS#8 structure first (a few DER bytes). Encrypted keys are refused with a clear
 * message. Pure; any thread.
 */
final class PemKeys {
  private static final byte[] RSA_ALGORITHM =
      der(0x30, cat(oid("2a864886f70d010101"), new byte[] {0x05, 0x00}));
  private static final byte[] EC_PUBLIC_KEY_OID = oid("2a8648ce3d0201");

  private PemKeys() {}

  static PrivateKey decode(String pem) throws GeneralSecurityException {
    if (pem.contains("ENCRYPTED")) {
      throw new GeneralSecurityException("the key is encrypted (expected: an unencrypted PEM key)");
    }
    for (String type : new String[] {"PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"}) {
      byte[] der = PemBlocks.first(pem, type);
      if (der == null) {
        continue;
      }
      switch (type) {
        case "RSA PRIVATE KEY":
          return pkcs8("RSA", pkcs8(RSA_ALGORITHM, der));
        case "EC PRIVATE KEY":
          return pkcs8("EC", pkcs8(der(0x30, cat(EC_PUBLIC_KEY_OID, sec1Curve(der))), der));
        default:
          return pkcs8(pkcs8Algorithm(der), der);
      }
    }
    throw new GeneralSecurityException(
        "no PEM private key found (expected: BEGIN PRIVATE KEY, RSA PRIVATE KEY or "
            + "EC PRIVATE KEY)");
  }

  private static PrivateKey pkcs8(String algorithm, byte[] der) throws GeneralSecurityException {
    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
  }

  /** The JCA algorithm of a PKCS#8 key, from the OID in its AlgorithmIdentifier. */
  private static String pkcs8Algorithm(byte[] der) throws GeneralSecurityException {
    String hex = hex(der);
    if (hex.contains("2a864886f70d010101")) {
      return "RSA";
    }
    if (hex.contains("2a8648ce3d0201")) {
      return "EC";
    }
    if (hex.contains("06032b6570")) {
      return "Ed25519";
    }
    throw new GeneralSecurityException(
        "unsupported private key algorithm (expected: RSA, EC or Ed25519)");
  }

  /** PrivateKeyInfo ::= SEQUENCE { version 0, algorithm, OCTET STRING key }. */
  private static byte[] pkcs8(byte[] algorithm, byte[] key) {
    return der(0x30, cat(new byte[] {0x02, 0x01, 0x00}, algorithm, der(0x04, key)));
  }

  /**
   * The named-curve OID inside a SEC1 ECPrivateKey's {@code [0] parameters}, found by walking the
   * structure: {@code SEQUENCE { INTEGER version, OCTET STRING privateKey, [0] parameters, ... }}.
   * (Scanning the bytes for the {@code [0]} tag could stop inside the random private key.)
   */
  private static byte[] sec1Curve(byte[] der) throws GeneralSecurityException {
    int at = contentStart(der, 0, 0x30);
    at = next(der, at, 0x02); // version
    at = next(der, at, 0x04); // privateKey
    if (at >= der.length || (der[at] & 0xff) != 0xa0) {
      throw new GeneralSecurityException(
          "EC key without a named curve (expected: SEC1 with parameters)");
    }
    int oid = contentStart(der, at, 0xa0);
    return Arrays.copyOfRange(der, oid, next(der, oid, 0x06));
  }

  /** Where the element with {@code tag} at {@code at} ends. */
  private static int next(byte[] der, int at, int tag) throws GeneralSecurityException {
    int content = contentStart(der, at, tag);
    int end = content + length(der, at);
    if (end > der.length) {
      throw malformedSec1();
    }
    return end;
  }

  /** Where the content of the element with {@code tag} at {@code at} starts. */
  private static int contentStart(byte[] der, int at, int tag) throws GeneralSecurityException {
    if (at + 1 >= der.length || (der[at] & 0xff) != tag) {
      throw malformedSec1();
    }
    int first = der[at + 1] & 0xff;
    return first < 0x80 ? at + 2 : at + 2 + (first & 0x7f);
  }

  /** The DER length of the element at {@code at} (short or long form, up to 3 bytes). */
  private static int length(byte[] der, int at) throws GeneralSecurityException {
    int first = der[at + 1] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int n = first & 0x7f;
    if (n == 0 || n > 3 || at + 2 + n > der.length) {
      throw malformedSec1();
    }
    int length = 0;
    for (int k = 0; k < n; k++) {
      length = (length << 8) | (der[at + 2 + k] & 0xff);
    }
    return length;
  }

  private static GeneralSecurityException malformedSec1() {
    return new GeneralSecurityException("malformed EC PRIVATE KEY (expected: SEC1 DER)");
  }

  private static byte[] oid(String hex) {
    byte[] body = new byte[hex.length() / 2];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return der(0x06, body);
  }

  private static byte[] der(int tag, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = body.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write(n >> 8);
      out.write(n);
    }
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static String hex(byte[] der) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(der.length, 32); i++) {
      s.append(String.format("%02x", der[i]));
    }
    return s.toString();
  }
}
