package dev.tpp.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The one validator of a {@link ProxyConfig}: ranges, names, references between routes, pools and
 * upstreams. The proxy runs it on every load and reload, the operator on every config it renders,
 * so the two can never disagree. Pure and thread-safe; {@link #validateFiles} is the only part that
 * looks at the file system.
 */
public final class ConfigValidator {
  static final Duration MAX_TIMEOUT = Duration.ofHours(1);
  static final int MIN_HEADER_LIMIT = 256;
  static final int MAX_HEADER_LIMIT = 1024 * 1024;
  static final int MAX_HEADERS = 10_000;
  static final int MAX_CONNECTIONS = 10_000_000;
  static final int MAX_SPOOL_FILES = 1_000_000;
  static final long MAX_SPOOL_BYTES = 1L << 50; // 1Pi: a typo guard, not a policy

  private ConfigValidator() {}

  /** Every problem of {@code config}, each naming its field; empty when it is valid. */
  public static List<ConfigError> validate(ProxyConfig config) {
    Checks checks = new Checks();
    server(config, checks);
    pools(config.pools(), checks);
    UpstreamValidator.upstreams(config.upstreams(), checks);
    RouteValidator.routes(config, checks);
    WafValidator.waf(config, checks);
    ListenerValidator.listeners(config, checks);
    return checks.errors();
  }

  /**
   * The checks that need the proxy's file system: every plain (non-glob) {@code waf.ruleFiles}
   * entry exists, and so does {@code waf.crs.path} when the CRS is enabled; every TLS certificate
   * pair loads and can be served. The operator skips these: the files live in the pods.
   */
  public static List<ConfigError> validateFiles(ProxyConfig config) {
    List<ConfigError> errors = new ArrayList<>(WafValidator.files(config.waf()));
    errors.addAll(ListenerValidator.files(config));
    return errors;
  }

  private static void server(ProxyConfig c, Checks checks) {
    endpoint("listen", c.listen(), checks);
    endpoint("admin", c.admin(), checks);
    if (c.listen().port() != 0 && c.listen().port() == c.admin().port()) {
      checks.error("admin.port", c.admin().port() + " (expected: a port other than listen.port)");
    }
    checks.range("workers", c.workers(), 1, Limits.MAX_WORKERS);
    checks.range(
        "accept.maxConnectionsPerWorker", c.accept().maxConnectionsPerWorker(), 0, MAX_CONNECTIONS);
    checks.timeout("keepalive.idleTimeout", c.keepalive().idleTimeout(), false, MAX_TIMEOUT);
    checks.range(
        "keepalive.maxRequestsPerConnection",
        c.keepalive().maxRequestsPerConnection(),
        0,
        Integer.MAX_VALUE);
    checks.timeout("http.headerTimeout", c.http().headerTimeout(), false, MAX_TIMEOUT);
    checks.size(
        "http.maxRequestLine", c.http().maxRequestLine(), MIN_HEADER_LIMIT, MAX_HEADER_LIMIT);
    checks.size("http.maxHeaderSize", c.http().maxHeaderSize(), MIN_HEADER_LIMIT, MAX_HEADER_LIMIT);
    checks.range("http.maxHeaders", c.http().maxHeaders(), 1, MAX_HEADERS);
    checks.timeout("http.bodyTimeout", c.http().bodyTimeout(), false, MAX_TIMEOUT);
    checks.range("http.spoolFilesPerWorker", c.http().spoolFilesPerWorker(), 0, MAX_SPOOL_FILES);
    checks.size("http.spoolBytesPerWorker", c.http().spoolBytesPerWorker(), 0, MAX_SPOOL_BYTES);
    checks.timeout("shutdownTimeout", c.shutdownTimeout(), true, MAX_TIMEOUT);
  }

  /** Port 0 (an ephemeral port, for tests) is fine for the proxy's own listeners. */
  private static void endpoint(String path, Endpoint endpoint, Checks checks) {
    checks.required(path + ".address", endpoint.address());
    checks.range(path + ".port", endpoint.port(), 0, 65535);
  }

  private static void pools(List<PoolConfig> pools, Checks checks) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < pools.size(); i++) {
      PoolConfig pool = pools.get(i);
      String path = "pools[" + i + "]";
      unique(path + ".name", "pool", pool.name(), names, checks);
      checks.range(path + ".threads", pool.threads(), 0, Limits.MAX_THREADS);
      checks.range(path + ".maxQueue", pool.maxQueue(), 0, Limits.MAX_QUEUE);
      if (pool.overflow() == null) {
        checks.error(path + ".overflow", "is required");
      }
    }
  }

  static void unique(
      String path, String kind, @Nullable String name, Set<String> seen, Checks checks) {
    checks.name(path, name);
    if (name != null && !name.isEmpty() && !seen.add(name)) {
      checks.error(path, "duplicate " + kind + " name " + Durations.quote(name));
    }
  }
}
