package dev.tpp.proxy.pool;

import java.util.concurrent.RejectedExecutionException;

/**
 * A task did not fit: the pool's threads were busy and its queue full (overflow: reject). Answered
 * with 503: the HTTP layer maps any {@link RejectedExecutionException} to 503 without knowing the
 * pools.
 */
public final class PoolRejectedException extends RejectedExecutionException {
  private final String pool;

  public PoolRejectedException(String pool) {
    super("pool " + pool + " is full");
    this.pool = pool;
  }

  /**
   * No stack trace: a full pool is an expected outcome under load, and filling one per rejection
   * costs CPU.
   */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }

  public String pool() {
    return pool;
  }
}
