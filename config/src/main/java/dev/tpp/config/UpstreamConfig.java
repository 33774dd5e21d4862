package dev.tpp.config;

import java.time.Duration;
import java.util.List;

/**
 * A named group of origin endpoints. {@code keepaliveConnections} idle connections are kept per worker (0 = a new
 * connection per request).
 */
public record UpstreamConfig(
    String name,
    List<HostPort> endpoints,
    int keepaliveConnections,
    Duration connectTimeout,
    Duration responseTimeout) {

  public UpstreamConfig {
    endpoints = List.copyOf(endpoints);
  }

  /** One {@code host:port} endpoint. */
  public record HostPort(String host, int port) {
    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }
}
