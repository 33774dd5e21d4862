package dev.tpp.proxy.pool;

import org.jspecify.annotations.Nullable;

/**
 * Receives an offloaded task's outcome on the submitting event loop: exactly one of {@code result}
 * (may be null for a void task) or {@code failure} (a {@link PoolRejectedException} when the pool
 * was full) is meaningful.
 */
@FunctionalInterface
public interface PoolCallback<T> {
  void done(@Nullable T result, @Nullable Throwable failure);
}
