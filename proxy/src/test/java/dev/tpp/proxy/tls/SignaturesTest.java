package dev.tpp.proxy.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslAsyncPrivateKeyMethod;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import org.junit.jupiter.api.Test;

/**
 * Every scheme BoringSSL asks for signs with the native provider and verifies with the JDK's own
 * code.
 */
class SignaturesTest {
  static final byte[] MESSAGE =
      "TLS 1.3, server CertificateVerify".getBytes(StandardCharsets.US_ASCII);

  @Test
  void signsNativelyHereAndTheJdkVerifiesEveryScheme() throws Exception {
    OpenSsl
        .ensureAvailability(); // the scheme ids are tcnative's: its library must be loaded, as in a
    // server
    assertNotNull(Signatures.NATIVE, "AWS-LC loads on linux-x86_64");
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair r = rsa.generateKeyPair();
    PrivateKey rsaKey = Signatures.forSigning(r.getPrivate());
    assertEquals(
        Signatures.NATIVE,
        providerOf(rsaKey),
        "the key was translated once for the native provider");
    verify(
        r,
        rsaKey,
        OpenSslAsyncPrivateKeyMethod.SSL_SIGN_RSA_PKCS1_SHA256,
        Signature.getInstance("SHA256withRSA"));
    verify(
        r,
        rsaKey,
        OpenSslAsyncPrivateKeyMethod.SSL_SIGN_RSA_PSS_RSAE_SHA256,
        pss("SHA-256", MGF1ParameterSpec.SHA256, 32));
    verify(
        r,
        rsaKey,
        OpenSslAsyncPrivateKeyMethod.SSL_SIGN_RSA_PSS_RSAE_SHA384,
        pss("SHA-384", MGF1ParameterSpec.SHA384, 48));
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair e = ec.generateKeyPair();
    verify(
        e,
        Signatures.forSigning(e.getPrivate()),
        OpenSslAsyncPrivateKeyMethod.SSL_SIGN_ECDSA_SECP256R1_SHA256,
        Signature.getInstance("SHA256withECDSA"));
  }

  private static java.security.Provider providerOf(PrivateKey key) throws Exception {
    Signature s = Signature.getInstance("SHA256withRSA", Signatures.NATIVE);
    s.initSign(key);
    return s.getProvider();
  }

  private static Signature pss(String digest, MGF1ParameterSpec mgf, int salt) throws Exception {
    Signature s = Signature.getInstance("RSASSA-PSS");
    s.setParameter(new PSSParameterSpec(digest, "MGF1", mgf, salt, 1));
    return s;
  }

  private static void verify(KeyPair pair, PrivateKey key, int scheme, Signature jdk)
      throws Exception {
    byte[] signature = Signatures.sign(key, scheme, MESSAGE);
    jdk.initVerify(pair.getPublic());
    jdk.update(MESSAGE);
    assertTrue(jdk.verify(signature), "scheme 0x" + Integer.toHexString(scheme));
  }
}
