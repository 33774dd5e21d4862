package dev.tpp.proxy.pool;

/** A task did not fit: the pool's threads were busy and its queue full (overflow: reject). Answered with 503. */
public final class PoolRejectedException extends RuntimeException {
  private final String pool;

  public PoolRejectedException(String pool) {
    super("pool " + pool + " is full", null, false, false);
    this.pool = pool;
  }

  public String pool() {
    return pool;
  }
}
