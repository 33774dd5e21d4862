package dev.tpp.config;

import java.time.Duration;
import java.util.List;

/**
 * The value of every field that {@code proxy.yaml} leaves out, chosen like nginx and Envoy do (see
 * {@code config/README.md}). The operator fills its rendered files from the same constants, so the
 * two never disagree.
 */
public final class ConfigDefaults {
  public static final Endpoint LISTEN = new Endpoint("0.0.0.0", 8080);
  public static final Endpoint ADMIN = new Endpoint("0.0.0.0", 9090);
  public static final int MAX_CONNECTIONS_PER_WORKER = 10_000;
  public static final AcceptConfig ACCEPT = new AcceptConfig(true);
  public static final KeepaliveConfig KEEPALIVE = new KeepaliveConfig(Duration.ofSeconds(60), 0);
  public static final int HTTP_MAX_HEADERS = 100;
  public static final Duration HTTP_BODY_TIMEOUT = Duration.ofSeconds(60);
  public static final int HTTP_SPOOL_FILES_PER_WORKER = 64;
  public static final long HTTP_SPOOL_BYTES_PER_WORKER = 64L * 1024 * 1024;
  public static final HttpLimits HTTP = new HttpLimits(Duration.ofSeconds(10), 8 * 1024, 16 * 1024);

  /**
   * nginx's http2_max_concurrent_streams 128; Netty's flood limits (CVE-2023-44487,
   * CVE-2024-27316).
   */
  public static final Http2Config HTTP2 =
      new Http2Config(
          128,
          16 * 1024,
          4096,
          16 * 1024,
          65535,
          200,
          Duration.ofSeconds(30),
          16,
          2,
          10_000,
          Duration.ofSeconds(30));

  public static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

  public static final int POOL_THREADS = 32;
  public static final int POOL_MAX_QUEUE = 65536;
  public static final PoolConfig.Overflow POOL_OVERFLOW = PoolConfig.Overflow.REJECT;

  public static final int UPSTREAM_KEEPALIVE_CONNECTIONS = 32;
  public static final Duration UPSTREAM_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration UPSTREAM_RESPONSE_TIMEOUT = Duration.ofSeconds(60);
  public static final UpstreamConfig.LoadBalancing UPSTREAM_BALANCING =
      UpstreamConfig.LoadBalancing.ROUND_ROBIN;
  public static final Duration UPSTREAM_RESOLVE_EVERY = Duration.ofSeconds(30);

  /**
   * The values of an {@code outlierDetection: {}} that names no field (Envoy's consecutive-5xx
   * defaults, 50%).
   */
  public static final UpstreamConfig.OutlierDetection OUTLIER_DETECTION =
      new UpstreamConfig.OutlierDetection(5, Duration.ofSeconds(10), 50);

  public static final String TLS_POOL = "tls";
  public static final Duration TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  public static final String ROUTE_HOST = "*";
  public static final boolean ROUTE_WAF = true;

  public static final WafConfig.Crs CRS =
      new WafConfig.Crs(false, "/usr/share/modsecurity-crs", 1, 5);
  public static final WafConfig WAF =
      new WafConfig(false, "waf", WafConfig.Mode.BLOCK, 1024 * 1024, 64 * 1024, CRS, List.of(), "");

  private ConfigDefaults() {}

  /**
   * The priority of a pool that does not write one, by the work it does: {@code low} for a pool
   * that only thumbnail routes or TLS listeners use (thumbnails: batch CPU work whose client waits
   * for it anyway; TLS: the handshake work, its handshake loops and signatures, which must yield to
   * the requests of established connections: measured in docs/tls.md); {@code normal} for a pool
   * that WAF inspection or {@code files} routes use (on the request's own path, so starving them
   * would slow the very requests the loops serve), and for everything else.
   */
  public static PoolConfig.Priority poolPriority(
      List<RouteConfig> routes, WafConfig waf, List<ListenerConfig> listeners, String pool) {
    boolean thumbnails = false;
    for (RouteConfig route : routes) {
      if (route == null) {
        continue;
      }
      if (route.action() instanceof RouteAction.Thumbnail t && pool.equals(t.pool())) {
        thumbnails = true;
      } else if (route.action() instanceof RouteAction.Files f && pool.equals(f.pool())) {
        return PoolConfig.Priority.NORMAL;
      }
    }
    if (waf != null && waf.enabled() && pool.equals(waf.pool())) {
      return PoolConfig.Priority.NORMAL;
    }
    return thumbnails || signsHandshakes(listeners, pool)
        ? PoolConfig.Priority.LOW
        : PoolConfig.Priority.NORMAL;
  }

  private static boolean signsHandshakes(List<ListenerConfig> listeners, String pool) {
    for (ListenerConfig l : listeners) {
      if (l != null && l.tls() != null && pool.equals(l.tls().pool())) {
        return true;
      }
    }
    return false;
  }

  /** {@code pools} with every unwritten priority set to {@link #poolPriority}. */
  static List<PoolConfig> withPriorities(
      List<PoolConfig> pools,
      List<RouteConfig> routes,
      WafConfig waf,
      List<ListenerConfig> listeners) {
    return pools.stream()
        .map(
            p ->
                p == null || p.priority() != null || p.name() == null
                    ? p
                    : p.withPriority(poolPriority(routes, waf, listeners, p.name())))
        .toList();
  }

  /**
   * One event-loop thread per available processor, as nginx's {@code worker_processes auto} (at
   * most 256).
   */
  public static int workers() {
    return Math.min(Runtime.getRuntime().availableProcessors(), 256);
  }
}
