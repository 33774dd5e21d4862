package dev.tpp.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps the YAML tree of a {@code proxy.yaml} to a {@link ProxyConfig}, applying {@link ConfigDefaults} and resolving
 * relative paths against the file's directory. Type errors and unknown fields are recorded in the shared error list;
 * ranges and references are {@link ConfigValidator}'s job. One instance per load, on the loading thread.
 */
final class ConfigReader {
  private final Path baseDir;

  ConfigReader(Path baseDir) {
    this.baseDir = baseDir;
  }

  ProxyConfig read(YamlNode root) {
    root.isMapping();
    YamlNode accept = root.get("accept");
    YamlNode keepalive = root.get("keepalive");
    YamlNode http = root.get("http");
    ProxyConfig config =
        new ProxyConfig(
            endpoint(root.get("listen"), ConfigDefaults.LISTEN),
            endpoint(root.get("admin"), ConfigDefaults.ADMIN),
            root.get("workers").integer(ConfigDefaults.workers()),
            new AcceptConfig(accept.isMapping() ? accept.get("reusePort").bool(true) : true),
            keepalive.isMapping() ? keepalive(keepalive) : ConfigDefaults.KEEPALIVE,
            http.isMapping() ? http(http) : ConfigDefaults.HTTP,
            root.get("shutdownTimeout").duration(ConfigDefaults.SHUTDOWN_TIMEOUT),
            list(root.get("pools"), this::pool),
            list(root.get("upstreams"), this::upstream),
            list(root.get("routes"), new RouteReader(this)::route),
            new WafReader(this).waf(root.get("waf")));
    for (YamlNode section : List.of(accept, keepalive, http)) {
      section.rejectUnknownKeys();
    }
    root.rejectUnknownKeys();
    return config;
  }

  /** The absolute, normalized form of {@code node}'s path text, or {@code otherwise} when it is absent. */
  String path(YamlNode node, String otherwise) {
    String text = node.string(null);
    if (text == null) {
      return otherwise;
    }
    if (text.isEmpty()) {
      return text; // the validator names the empty field
    }
    try {
      return baseDir.resolve(text).toAbsolutePath().normalize().toString();
    } catch (InvalidPathException e) {
      node.error(Durations.quote(text) + " is not a valid path (" + e.getReason() + ")");
      return otherwise;
    }
  }

  static <T> List<T> list(YamlNode node, java.util.function.Function<YamlNode, T> reader) {
    List<T> items = new ArrayList<>();
    for (YamlNode element : node.elements()) {
      T item = reader.apply(element);
      if (item != null) {
        items.add(item);
      }
    }
    return items;
  }

  private static Endpoint endpoint(YamlNode node, Endpoint otherwise) {
    if (!node.isMapping()) {
      return otherwise;
    }
    Endpoint endpoint =
        new Endpoint(node.get("address").string(otherwise.address()), node.get("port").integer(otherwise.port()));
    node.rejectUnknownKeys();
    return endpoint;
  }

  private static KeepaliveConfig keepalive(YamlNode node) {
    KeepaliveConfig d = ConfigDefaults.KEEPALIVE;
    return new KeepaliveConfig(
        node.get("idleTimeout").duration(d.idleTimeout()),
        node.get("maxRequestsPerConnection").integer(d.maxRequestsPerConnection()));
  }

  private static HttpLimits http(YamlNode node) {
    HttpLimits d = ConfigDefaults.HTTP;
    return new HttpLimits(
        node.get("headerTimeout").duration(d.headerTimeout()),
        intSize(node.get("maxRequestLine"), d.maxRequestLine()),
        intSize(node.get("maxHeaderSize"), d.maxHeaderSize()));
  }

  private PoolConfig pool(YamlNode node) {
    if (!node.isMapping()) {
      return null;
    }
    PoolConfig pool =
        new PoolConfig(
            node.get("name").string(null),
            node.get("threads").integer(ConfigDefaults.POOL_THREADS),
            node.get("maxQueue").integer(ConfigDefaults.POOL_MAX_QUEUE),
            node.get("overflow").enumeration(PoolConfig.Overflow.class, ConfigDefaults.POOL_OVERFLOW));
    node.rejectUnknownKeys();
    return pool;
  }

  private UpstreamConfig upstream(YamlNode node) {
    if (!node.isMapping()) {
      return null;
    }
    String name = node.get("name").string(null);
    List<UpstreamConfig.HostPort> endpoints = list(node.get("endpoints"), ConfigReader::hostPort);
    int keepalive = node.get("keepaliveConnections").integer(ConfigDefaults.UPSTREAM_KEEPALIVE_CONNECTIONS);
    Duration connect = node.get("connectTimeout").duration(ConfigDefaults.UPSTREAM_CONNECT_TIMEOUT);
    Duration response = node.get("responseTimeout").duration(ConfigDefaults.UPSTREAM_RESPONSE_TIMEOUT);
    node.rejectUnknownKeys();
    return new UpstreamConfig(name, endpoints, keepalive, connect, response);
  }

  /** {@code host:port}, with IPv6 hosts in brackets ({@code [::1]:80}). */
  private static UpstreamConfig.HostPort hostPort(YamlNode node) {
    String text = node.string("");
    int colon = text.lastIndexOf(':');
    boolean bracketed = text.startsWith("[") && colon > 0 && text.charAt(colon - 1) == ']';
    String host = bracketed ? text.substring(1, colon - 1) : colon < 0 ? "" : text.substring(0, colon);
    if (colon < 0 || (!bracketed && host.contains(":")) || host.isEmpty()) {
      node.error(Durations.quote(text) + " is not host:port (expected: like 10.0.0.1:8080, [::1]:80)");
      return null;
    }
    try {
      return new UpstreamConfig.HostPort(host, Integer.parseInt(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      node.error(Durations.quote(text) + " has no numeric port (expected: like 10.0.0.1:8080, [::1]:80)");
      return null;
    }
  }

  /** A size field held in an {@code int}: larger values are clamped so the validator reports the range. */
  private static int intSize(YamlNode node, int otherwise) {
    return (int) Math.min(node.size(otherwise), Integer.MAX_VALUE);
  }
}
