package dev.tpp.config;

import dev.tpp.config.UpstreamConfig.HashOn;
import dev.tpp.config.UpstreamConfig.HostPort;
import dev.tpp.config.UpstreamConfig.LoadBalancing;
import dev.tpp.config.UpstreamConfig.OutlierDetection;
import org.jspecify.annotations.Nullable;

/**
 * Reads one {@code upstreams[]} entry, and the {@code host:port} text that both {@code proxy.yaml}
 * and the endpoints file use. Type errors go to the shared error list; ranges and combinations are
 * {@link UpstreamValidator}'s job. On the loading thread.
 */
@SuppressWarnings(
    "NullAway") // a required field left out reads as null; the validator reports it before use
final class UpstreamReader {
  private UpstreamReader() {}

  static UpstreamConfig upstream(YamlNode node) {
    return node.mapping(
        null,
        n ->
            new UpstreamConfig(
                n.get("name").string(null),
                ConfigReader.list(n.get("endpoints"), UpstreamReader::hostPort),
                n.get("keepaliveConnections")
                    .integer(ConfigDefaults.UPSTREAM_KEEPALIVE_CONNECTIONS),
                n.get("connectTimeout").duration(ConfigDefaults.UPSTREAM_CONNECT_TIMEOUT),
                n.get("responseTimeout").duration(ConfigDefaults.UPSTREAM_RESPONSE_TIMEOUT),
                loadBalancing(n.get("loadBalancing")),
                n.get("hashOn")
                    .mapping(
                        null,
                        h ->
                            new HashOn(h.get("header").string(null), h.get("cookie").string(null))),
                n.get("resolveEvery").duration(ConfigDefaults.UPSTREAM_RESOLVE_EVERY),
                n.get("outlierDetection").mapping(null, UpstreamReader::outlierDetection)));
  }

  private static LoadBalancing loadBalancing(YamlNode node) {
    String text = node.string(null);
    if (text == null) {
      return ConfigDefaults.UPSTREAM_BALANCING;
    }
    LoadBalancing b = LoadBalancing.of(text);
    if (b == null) {
      node.error(Durations.quote(text) + " (expected: one of " + LoadBalancing.expected() + ")");
      return ConfigDefaults.UPSTREAM_BALANCING;
    }
    return b;
  }

  private static OutlierDetection outlierDetection(YamlNode n) {
    OutlierDetection d = ConfigDefaults.OUTLIER_DETECTION;
    return new OutlierDetection(
        n.get("consecutiveErrors").integer(d.consecutiveErrors()),
        n.get("baseEjectionTime").duration(d.baseEjectionTime()),
        n.get("maxEjectionPercent").integer(d.maxEjectionPercent()));
  }

  /**
   * {@code host:port}, with IPv6 hosts in brackets ({@code [::1]:80}); null (after an error) when
   * it is not.
   */
  static @Nullable HostPort hostPort(YamlNode node) {
    String text = node.string("");
    int colon = text.lastIndexOf(':');
    boolean bracketed = text.startsWith("[") && colon > 0 && text.charAt(colon - 1) == ']';
    String host =
        bracketed ? text.substring(1, colon - 1) : colon < 0 ? "" : text.substring(0, colon);
    if (colon < 0 || (!bracketed && host.contains(":")) || host.isEmpty()) {
      node.error(
          Durations.quote(text) + " is not host:port (expected: like 10.0.0.1:8080, [::1]:80)");
      return null;
    }
    try {
      return new HostPort(host, Integer.parseInt(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      node.error(
          Durations.quote(text) + " has no numeric port (expected: like 10.0.0.1:8080, [::1]:80)");
      return null;
    }
  }
}
