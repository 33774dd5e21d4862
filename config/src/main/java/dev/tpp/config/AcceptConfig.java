package dev.tpp.config;

/**
 * How connections reach workers. {@code reusePort}: one SO_REUSEPORT socket per worker (the kernel spreads
 * connections); otherwise one acceptor hands each connection to the worker with the fewest active connections.
 */
public record AcceptConfig(boolean reusePort) {}
