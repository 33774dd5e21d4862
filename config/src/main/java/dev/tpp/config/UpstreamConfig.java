package dev.tpp.config;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A named group of origin endpoints and how requests are spread over them. {@code
 * keepaliveConnections} idle connections are kept per endpoint and worker (0 = a new connection per
 * request). {@code hashOn} is set only with {@link LoadBalancing#HASH}; {@code resolveEvery} zero
 * resolves names once, at load; {@code outlierDetection} null ejects nothing.
 */
public record UpstreamConfig(
    String name,
    List<HostPort> endpoints,
    int keepaliveConnections,
    Duration connectTimeout,
    Duration responseTimeout,
    LoadBalancing loadBalancing,
    @Nullable HashOn hashOn,
    Duration resolveEvery,
    @Nullable OutlierDetection outlierDetection) {

  public UpstreamConfig {
    endpoints = List.copyOf(endpoints);
  }

  /**
   * The fields every config had before balancing was configurable; the rest take their defaults.
   */
  public UpstreamConfig(
      String name,
      List<HostPort> endpoints,
      int keepaliveConnections,
      Duration connectTimeout,
      Duration responseTimeout) {
    this(
        name,
        endpoints,
        keepaliveConnections,
        connectTimeout,
        responseTimeout,
        ConfigDefaults.UPSTREAM_BALANCING,
        null,
        ConfigDefaults.UPSTREAM_RESOLVE_EVERY,
        null);
  }

  /** One {@code host:port} endpoint. */
  public record HostPort(String host, int port) {
    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /** How the next request picks its endpoint. */
  public enum LoadBalancing {
    /** In turn. */
    ROUND_ROBIN("roundRobin"),
    /** The less busy of two endpoints (power of two choices over requests in flight). */
    LEAST_REQUEST("leastRequest"),
    /**
     * Consistent hashing of a header or cookie: the same value goes to the same endpoint while it
     * is there.
     */
    HASH("hash");

    private final String yamlName;

    LoadBalancing(String yamlName) {
      this.yamlName = yamlName;
    }

    public String yamlName() {
      return yamlName;
    }

    /** The constant written {@code text} in YAML, or null. */
    static @Nullable LoadBalancing of(String text) {
      for (LoadBalancing b : values()) {
        if (b.yamlName.equals(text)) {
          return b;
        }
      }
      return null;
    }

    static String expected() {
      return String.join(", ", List.of(values()).stream().map(LoadBalancing::yamlName).toList());
    }
  }

  /** What {@code hash} balancing hashes: exactly one of a request header or a cookie, by name. */
  public record HashOn(@Nullable String header, @Nullable String cookie) {}

  /**
   * Passive health: {@code consecutiveErrors} connect errors or 5xx in a row eject an endpoint for
   * {@code baseEjectionTime} times the number of its recent ejections; at most {@code
   * maxEjectionPercent} of the endpoints are out at once.
   */
  public record OutlierDetection(
      int consecutiveErrors, Duration baseEjectionTime, int maxEjectionPercent) {}
}
