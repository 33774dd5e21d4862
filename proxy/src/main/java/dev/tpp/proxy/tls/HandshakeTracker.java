package dev.tpp.proxy.tls;

import dev.tpp.proxy.pool.PoolRejectedException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import org.jspecify.annotations.Nullable;

/**
 * Which handshakes in progress needed the private key, and why a key operation failed. A finished
 * handshake that never needed the key was resumed (a TLS 1.3 PSK or a session ticket): BoringSSL
 * signs in every full handshake of the protocols we allow. Written from loops and pool threads;
 * entries leave when the handshake or connection ends.
 */
final class HandshakeTracker {
  private static final String SIGNED = "";
  private final Map<SSLEngine, String> keyOperations = new ConcurrentHashMap<>();

  void keyOperation(SSLEngine engine) {
    keyOperations.putIfAbsent(engine, SIGNED);
  }

  void keyOperationFailed(SSLEngine engine, Throwable failure) {
    keyOperations.put(
        engine, failure instanceof PoolRejectedException ? "pool_full" : "key_operation_failed");
  }

  /** Forgets {@code engine}: true when its handshake needed the key (a full handshake). */
  boolean finishedFull(SSLEngine engine) {
    return keyOperations.remove(engine) != null;
  }

  /**
   * Why {@code engine}'s key operation failed, or null; the entry stays until {@link
   * #finishedFull}.
   */
  @Nullable String keyFailure(SSLEngine engine) {
    String reason = keyOperations.get(engine);
    return reason == null || reason.isEmpty() ? null : reason;
  }
}
