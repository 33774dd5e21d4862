package dev.tpp.proxy.tls;

import dev.tpp.proxy.pool.OffloadPool;
import io.netty.handler.ssl.OpenSslAsyncPrivateKeyMethod;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import io.netty.util.internal.ThreadExecutorMap;
import java.security.PrivateKey;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;

/**
 * BoringSSL's asynchronous private-key method for one certificate: the handshake pauses, the
 * signature (or RSA decryption) runs as a task in the listener's offload pool, and the handshake
 * resumes on its loop when the result is back. {@code overflow: reject} fails the handshake (the
 * client gets an alert); {@code threads: 0} or {@code overflow: inline} sign on the loop, counted
 * as inlined by the pool. Called on an event loop (from the SslHandler's delegated task); the key
 * never leaves this object. Engines that needed a key operation are reported to {@code handshakes},
 * so a handshake without one is known to be resumed.
 */
final class PooledKeyMethod implements OpenSslAsyncPrivateKeyMethod {
  private final PrivateKey key;
  private final Supplier<OffloadPool> pool;
  private final HandshakeTracker handshakes;

  PooledKeyMethod(PrivateKey key, Supplier<OffloadPool> pool, HandshakeTracker handshakes) {
    this.key = Signatures.forSigning(key);
    this.pool = pool;
    this.handshakes = handshakes;
  }

  @Override
  public Future<byte[]> sign(SSLEngine engine, int algorithm, byte[] input) {
    return run(engine, () -> Signatures.sign(key, algorithm, input));
  }

  @Override
  public Future<byte[]> decrypt(SSLEngine engine, byte[] input) {
    return run(engine, () -> Signatures.decrypt(key, input));
  }

  private Future<byte[]> run(SSLEngine engine, Callable<byte[]> operation) {
    handshakes.keyOperation(engine);
    Promise<byte[]> promise = ImmediateEventExecutor.INSTANCE.newPromise();
    EventExecutor loop = ThreadExecutorMap.currentExecutor();
    pool.get()
        .submit(
            loop != null ? loop : ImmediateEventExecutor.INSTANCE,
            operation,
            (signature, failure) -> {
              if (failure != null) {
                handshakes.keyOperationFailed(engine, failure);
                promise.setFailure(failure);
              } else {
                promise.setSuccess(signature);
              }
            });
    return promise;
  }
}
