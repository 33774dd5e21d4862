package dev.tpp.config.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.interfaces.ECPrivateKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PemKeysTest {
  /** P-256 (prime256v1), as OpenSSL writes it in a SEC1 key's [0] parameters. */
  private static final byte[] P256 = HexFormat.of().parseHex("06082a8648ce3d030107");

  /**
   * A SEC1 key is read by its structure: a private key whose bytes happen to hold the {@code [0]}
   * tag two bytes before an OID tag (about one key in 2,000 that OpenSSL makes) used to be taken
   * for the curve, and the key was refused with "Invalid lenByte".
   */
  @Test
  void readsASec1KeyWhosePrivateBytesLookLikeTheCurveTag() throws Exception {
    byte[] secret = new byte[32];
    Arrays.fill(secret, (byte) 0x11);
    secret[0] = 0x01;
    secret[1] = (byte) 0xa0; // [0]
    secret[3] = 0x06; // OBJECT IDENTIFIER
    secret[4] = 0x05;
    ECPrivateKey key = (ECPrivateKey) PemKeys.decode(sec1Pem(secret));
    assertEquals(new BigInteger(1, secret), key.getS());
    assertEquals(256, key.getParams().getCurve().getField().getFieldSize());
  }

  /**
   * SEQUENCE { INTEGER 1, OCTET STRING secret, [0] { P-256 } }, without the optional public key.
   */
  private static String sec1Pem(byte[] secret) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x01, 0x04, (byte) secret.length});
    body.writeBytes(secret);
    body.writeBytes(new byte[] {(byte) 0xa0, (byte) P256.length});
    body.writeBytes(P256);
    ByteArrayOutputStream der = new ByteArrayOutputStream();
    der.write(0x30);
    der.write(body.size());
    der.writeBytes(body.toByteArray());
    return "-----BEGIN EC PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der.toByteArray())
        + "\n-----END EC PRIVATE KEY-----\n";
  }
}
