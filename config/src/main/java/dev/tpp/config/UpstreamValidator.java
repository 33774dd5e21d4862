package dev.tpp.config;

import dev.tpp.config.UpstreamConfig.HashOn;
import dev.tpp.config.UpstreamConfig.LoadBalancing;
import dev.tpp.config.UpstreamConfig.OutlierDetection;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks the {@code upstreams} list: names, endpoints, timeouts, and that the balancing fields fit
 * together ({@code hashOn} exactly with {@code loadBalancing: hash}). Pure; part of {@link
 * ConfigValidator}.
 */
final class UpstreamValidator {
  static final Duration MIN_RESOLVE_EVERY = Duration.ofSeconds(1);

  /** An HTTP token (RFC 9110), which header and cookie names both are. */
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private UpstreamValidator() {}

  static void upstreams(List<UpstreamConfig> upstreams, Checks checks) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < upstreams.size(); i++) {
      UpstreamConfig upstream = upstreams.get(i);
      String path = "upstreams[" + i + "]";
      ConfigValidator.unique(path + ".name", "upstream", upstream.name(), names, checks);
      endpoints(path, upstream, checks);
      checks.range(
          path + ".keepaliveConnections",
          upstream.keepaliveConnections(),
          0,
          Limits.MAX_KEEPALIVE_CONNECTIONS);
      checks.timeout(
          path + ".connectTimeout", upstream.connectTimeout(), false, ConfigValidator.MAX_TIMEOUT);
      checks.timeout(
          path + ".responseTimeout",
          upstream.responseTimeout(),
          false,
          ConfigValidator.MAX_TIMEOUT);
      balancing(path, upstream, checks);
      resolveEvery(path + ".resolveEvery", upstream.resolveEvery(), checks);
      outlierDetection(path + ".outlierDetection", upstream.outlierDetection(), checks);
    }
  }

  private static void endpoints(String path, UpstreamConfig upstream, Checks checks) {
    if (upstream.endpoints().isEmpty()) {
      checks.error(path + ".endpoints", "is empty (expected: at least one \"host:port\")");
    }
    for (int e = 0; e < upstream.endpoints().size(); e++) {
      UpstreamConfig.HostPort endpoint = upstream.endpoints().get(e);
      if (endpoint.port() < 1 || endpoint.port() > 65535) {
        checks.error(
            path + ".endpoints[" + e + "]", "port " + endpoint.port() + " (expected: 1-65535)");
      }
    }
  }

  private static void balancing(String path, UpstreamConfig upstream, Checks checks) {
    HashOn on = upstream.hashOn();
    boolean hash = upstream.loadBalancing() == LoadBalancing.HASH;
    if (hash && on == null) {
      checks.error(
          path + ".hashOn",
          "is required with loadBalancing: hash (expected: {header: NAME} or {cookie: NAME})");
    } else if (!hash && on != null) {
      checks.error(
          path + ".hashOn",
          "is set but loadBalancing is "
              + upstream.loadBalancing().yamlName()
              + " (expected: only with loadBalancing: hash)");
    } else if (on != null && (on.header() == null) == (on.cookie() == null)) {
      checks.error(
          path + ".hashOn",
          "names "
              + (on.header() == null ? "neither" : "both")
              + " header and cookie (expected: exactly one of {header: NAME}, {cookie: NAME})");
    } else if (on != null) {
      String field = on.header() != null ? "header" : "cookie";
      String name = on.header() != null ? on.header() : on.cookie();
      if (!TOKEN.matcher(name).matches()) {
        checks.error(
            path + ".hashOn." + field,
            Durations.quote(name)
                + " (expected: a "
                + field
                + " name: no spaces, quotes or separators)");
      }
    }
  }

  private static void resolveEvery(String path, Duration every, Checks checks) {
    checks.timeout(path, every, true, ConfigValidator.MAX_TIMEOUT);
    if (every != null
        && !every.isNegative()
        && !every.isZero()
        && every.compareTo(MIN_RESOLVE_EVERY) < 0) {
      checks.error(path, Durations.format(every) + " (expected: 0 to resolve once, or >= 1s)");
    }
  }

  private static void outlierDetection(String path, @Nullable OutlierDetection o, Checks checks) {
    if (o == null) {
      return;
    }
    checks.range(
        path + ".consecutiveErrors", o.consecutiveErrors(), 1, Limits.MAX_CONSECUTIVE_ERRORS);
    checks.timeout(
        path + ".baseEjectionTime", o.baseEjectionTime(), false, ConfigValidator.MAX_TIMEOUT);
    checks.range(path + ".maxEjectionPercent", o.maxEjectionPercent(), 0, 100);
  }
}
