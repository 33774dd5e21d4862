package dev.tpp.config;

import java.time.Duration;

/**
 * Client keepalive: an idle connection closes after {@code idleTimeout}; after {@code
 * maxRequestsPerConnection} requests (0 = unlimited) the last response carries {@code Connection:
 * close}, so clients re-balance across workers.
 */
public record KeepaliveConfig(Duration idleTimeout, int maxRequestsPerConnection) {}
