package dev.tpp.proxy.tls;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import io.netty.handler.ssl.OpenSslAsyncPrivateKeyMethod;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Map;
import javax.crypto.Cipher;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JCA operation behind each BoringSSL private-key request: on AWS-LC's native code where it
 * loads ({@link #NATIVE}; a microbenchmark here put the JDK's own RSA-2048 and P-256 signatures at
 * about 3.5x and 30x its CPU time), else on the JDK's. BoringSSL hands over the whole message to
 * sign (not a digest) and names the scheme; the provider hashes and pads. CPU-heavy: called on a
 * {@code tls} pool thread, or on the loop only when the pool runs tasks in place. Pure; any thread.
 */
final class Signatures {
  private static final Logger log = LoggerFactory.getLogger("tpp.tls");

  /**
   * AWS-LC (Amazon Corretto Crypto Provider) where its native library loads, else null: the JDK's
   * providers sign.
   */
  static final @Nullable Provider NATIVE = nativeProvider();

  private Signatures() {}

  private static @Nullable Provider nativeProvider() {
    try {
      Throwable error = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
      if (error == null) {
        return AmazonCorrettoCryptoProvider.INSTANCE;
      }
      log.info(
          "event=tls_native_crypto_unavailable provider=jdk error=\"{}\"",
          error.toString().replace('"', '\''));
    } catch (LinkageError e) {
      log.info(
          "event=tls_native_crypto_unavailable provider=jdk error=\"{}\"",
          e.toString().replace('"', '\''));
    }
    return null;
  }

  /**
   * {@code key} in the form the signing provider works with fastest (converted once, when a context
   * is built).
   */
  static PrivateKey forSigning(PrivateKey key) {
    if (NATIVE == null) {
      return key;
    }
    try {
      return (PrivateKey) KeyFactory.getInstance(key.getAlgorithm(), NATIVE).translateKey(key);
    } catch (GeneralSecurityException e) {
      return key; // an algorithm the provider does not take (Ed25519): the JDK signs it
    }
  }

  static byte[] sign(PrivateKey key, int algorithm, byte[] message)
      throws GeneralSecurityException {
    Signature signature = forAlgorithm(algorithm);
    signature.initSign(key);
    signature.update(message);
    return signature.sign();
  }

  /** RSA key exchange (TLS 1.2 without ECDHE): the premaster secret, PKCS#1 v1.5. */
  static byte[] decrypt(PrivateKey key, byte[] input) throws GeneralSecurityException {
    Cipher cipher =
        NATIVE != null
            ? Cipher.getInstance("RSA/ECB/PKCS1Padding", NATIVE)
            : Cipher.getInstance("RSA/ECB/PKCS1Padding");
    cipher.init(Cipher.DECRYPT_MODE, key);
    return cipher.doFinal(input);
  }

  /**
   * BoringSSL's scheme ids (not compile-time constants in Netty) to JCA names; PSS schemes are set
   * up below.
   */
  private static final
  class Schemes { // initialised at the first signature: tcnative's library is loaded by then
    static final Map<Integer, String> PLAIN =
        Map.of(
            OpenSslAsyncPrivateKeyMethod.SSL_SIGN_RSA_PKCS1_SHA1, "SHA1withRSA",
            OpenSslAsyncPrivateKeyMethod.SSL_SIGN_RSA_PKCS1_SHA256, "SHA256withRSA",
            OpenSslAsyncPrivateKeyMethod.SSL_SIGN_RSA_PKCS1_SHA384, "SHA384withRSA",
            OpenSslAsyncPrivateKeyMethod.SSL_SIGN_RSA_PKCS1_SHA512, "SHA512withRSA",
            OpenSslAsyncPrivateKeyMethod.SSL_SIGN_ECDSA_SHA1, "SHA1withECDSA",
            OpenSslAsyncPrivateKeyMethod.SSL_SIGN_ECDSA_SECP256R1_SHA256, "SHA256withECDSA",
            OpenSslAsyncPrivateKeyMethod.SSL_SIGN_ECDSA_SECP384R1_SHA384, "SHA384withECDSA",
            OpenSslAsyncPrivateKeyMethod.SSL_SIGN_ECDSA_SECP521R1_SHA512, "SHA512withECDSA",
            OpenSslAsyncPrivateKeyMethod.SSL_SIGN_ED25519, "Ed25519");
  }

  private static Signature forAlgorithm(int algorithm) throws GeneralSecurityException {
    String plain = Schemes.PLAIN.get(algorithm);
    if (plain != null) {
      return instance(plain);
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
    throw new GeneralSecurityException(
        "unsupported signature algorithm 0x" + Integer.toHexString(algorithm));
  }

  private static Signature pss(String digest, MGF1ParameterSpec mgf, int saltLength)
      throws GeneralSecurityException {
    Signature signature = instance("RSASSA-PSS");
    signature.setParameter(new PSSParameterSpec(digest, "MGF1", mgf, saltLength, 1));
    return signature;
  }

  private static Signature instance(String name) throws GeneralSecurityException {
    if (NATIVE != null) {
      try {
        return Signature.getInstance(name, NATIVE);
      } catch (NoSuchAlgorithmException e) {
        // not offered natively: the JDK's
      }
    }
    return Signature.getInstance(name);
  }
}
