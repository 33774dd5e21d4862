package dev.tpp.config;

/**
 * How connections reach workers. {@code reusePort}: one SO_REUSEPORT socket per worker (the kernel
 * spreads connections); otherwise one acceptor hands each connection to the worker with the fewest
 * active connections. A worker holding {@code maxConnectionsPerWorker} client connections closes
 * every new one at once (counted in {@code tpp_connections_rejected_total}); 0 = no limit.
 */
public record AcceptConfig(boolean reusePort, int maxConnectionsPerWorker) {

  /** {@code reusePort} with the default connection limit. */
  public AcceptConfig(boolean reusePort) {
    this(reusePort, ConfigDefaults.MAX_CONNECTIONS_PER_WORKER);
  }
}
