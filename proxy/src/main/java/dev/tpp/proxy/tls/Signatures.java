package dev.tpp.proxy.tls;

import io.netty.handler.ssl.OpenSslAsyncPrivateKeyMethod;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Map;
import javax.crypto.Cipher;

/**
 * The JCA operation behind each BoringSSL private-key request. BoringSSL hands over the whole message to sign (not a
 * digest) and names the scheme; the JDK hashes and pads. CPU-heavy (an RSA-2048 signature is about a millisecond):
 * called on a {@code tls} pool thread, or on the loop only when the pool runs tasks in place. Pure; any thread.
 */
final class Signatures {
  private Signatures() {}

  static byte[] sign(PrivateKey key, int algorithm, byte[] message) throws GeneralSecurityException {
    Signature signature = forAlgorithm(algorithm);
    signature.initSign(key);
    signature.update(message);
    return signature.sign();
  }

  /** RSA key exchange (TLS 1.2 without ECDHE): the premaster secret, PKCS#1 v1.5. */
  static byte[] decrypt(PrivateKey key, byte[] input) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("RSA/ECB/PKCS1Padding");
    cipher.init(Cipher.DECRYPT_MODE, key);
    return cipher.doFinal(input);
  }

  /** BoringSSL's scheme ids (not compile-time constants in Netty) to JCA names; PSS schemes are set up below. */
  private static final Map<Integer, String> PLAIN = Map.of(
      OpenSslAsyncPrivateKeyMethod.SSL_SIGN_RSA_PKCS1_SHA1, "SHA1withRSA",
      OpenSslAsyncPrivateKeyMethod.SSL_SIGN_RSA_PKCS1_SHA256, "SHA256withRSA",
      OpenSslAsyncPrivateKeyMethod.SSL_SIGN_RSA_PKCS1_SHA384, "SHA384withRSA",
      OpenSslAsyncPrivateKeyMethod.SSL_SIGN_RSA_PKCS1_SHA512, "SHA512withRSA",
      OpenSslAsyncPrivateKeyMethod.SSL_SIGN_ECDSA_SHA1, "SHA1withECDSA",
      OpenSslAsyncPrivateKeyMethod.SSL_SIGN_ECDSA_SECP256R1_SHA256, "SHA256withECDSA",
      OpenSslAsyncPrivateKeyMethod.SSL_SIGN_ECDSA_SECP384R1_SHA384, "SHA384withECDSA",
      OpenSslAsyncPrivateKeyMethod.SSL_SIGN_ECDSA_SECP521R1_SHA512, "SHA512withECDSA",
      OpenSslAsyncPrivateKeyMethod.SSL_SIGN_ED25519, "Ed25519");

  private static Signature forAlgorithm(int algorithm) throws GeneralSecurityException {
    String plain = PLAIN.get(algorithm);
    if (plain != null) {
      return Signature.getInstance(plain);
    }
    if (algorithm == OpenSslAsyncPrivateKeyMethod.SSL_SIGN_RSA_PSS_RSAE_SHA256) {
      return pss("SHA-256", MGF1ParameterSpec.SHA256, 32);
    }
    if (algorithm == OpenSslAsyncPrivateKeyMethod.SSL_SIGN_RSA_PSS_RSAE_SHA384) {
      return pss("SHA-384", MGF1ParameterSpec.SHA384, 48);
    }
    if (algorithm == OpenSslAsyncPrivateKeyMethod.SSL_SIGN_RSA_PSS_RSAE_SHA512) {
      return pss("SHA-512", MGF1ParameterSpec.SHA512, 64);
    }
    throw new GeneralSecurityException("unsupported signature algorithm 0x" + Integer.toHexString(algorithm));
  }

  private static Signature pss(String digest, MGF1ParameterSpec mgf, int saltLength)
      throws GeneralSecurityException {
    Signature signature = Signature.getInstance("RSASSA-PSS");
    signature.setParameter(new PSSParameterSpec(digest, "MGF1", mgf, saltLength, 1));
    return signature;
  }
}
