package dev.tpp.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Maps the YAML tree of a {@code proxy.yaml} to a {@link ProxyConfig}, applying {@link
 * ConfigDefaults} and resolving relative paths against the file's directory. Type errors and
 * unknown fields are recorded in the shared error list; ranges and references are {@link
 * ConfigValidator}'s job. One instance per load, on the loading thread.
 */
final class ConfigReader {
  private final Path baseDir;

  ConfigReader(Path baseDir) {
    this.baseDir = baseDir;
  }

  /** Reads the top-level mapping (or {@code null} for an empty file: all defaults). */
  ProxyConfig read(YamlNode root) {
    YamlNode listen = root.get("listen");
    ListenOptions listenOptions =
        listen.mapping(ListenOptions.DEFAULT, ConfigReader::listenOptions);
    ProxyConfig config =
        new ProxyConfig(
            endpoint(listen, ConfigDefaults.LISTEN, true),
            endpoint(root.get("admin"), ConfigDefaults.ADMIN),
            root.get("workers").integer(ConfigDefaults.workers()),
            accept(root.get("accept")),
            keepalive(root.get("keepalive")),
            http(root.get("http")),
            root.get("shutdownTimeout").duration(ConfigDefaults.SHUTDOWN_TIMEOUT),
            list(root.get("pools"), ConfigReader::pool),
            list(root.get("upstreams"), UpstreamReader::upstream),
            list(root.get("routes"), new RouteReader(this)::route),
            new WafReader(this).waf(root.get("waf")),
            listenOptions,
            list(root.get("listeners"), new ListenerReader(this)::listener),
            ListenerReader.http2(root.get("http2")));
    root.rejectUnknownKeys();
    return config;
  }

  /**
   * The absolute, normalized form of {@code node}'s path text, or {@code otherwise} when it is
   * absent.
   */
  @SuppressWarnings("NullAway") // string(null): null in, null out for an absent node, checked next
  @Nullable String path(YamlNode node, @Nullable String otherwise) {
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

  static <T> List<T> list(YamlNode node, Function<YamlNode, @Nullable T> reader) {
    List<T> items = new ArrayList<>();
    for (YamlNode element : node.elements()) {
      @Nullable T item = reader.apply(element);
      if (item != null) {
        items.add(item);
      }
    }
    return items;
  }

  private static Endpoint endpoint(YamlNode node, Endpoint d) {
    return endpoint(node, d, false);
  }

  /**
   * {@code withOptions}: the mapping may also hold {@link ListenOptions}' keys (read by {@link
   * #listenOptions}).
   */
  static Endpoint endpoint(YamlNode node, Endpoint d, boolean withOptions) {
    if (withOptions) {
      // no mapping check here: listenOptions reads the same node through mapping(), which reports
      // it once
      return new Endpoint(
          node.get("address").string(d.address()), node.get("port").integer(d.port()));
    }
    return node.mapping(
        d,
        n -> new Endpoint(n.get("address").string(d.address()), n.get("port").integer(d.port())));
  }

  private static ListenOptions listenOptions(YamlNode n) {
    ListenOptions d = ListenOptions.DEFAULT;
    n.get("address");
    n.get("port");
    return new ListenOptions(
        n.get("http2").bool(d.http2()), n.get("redirectToHttps").integer(d.redirectToHttps()));
  }

  private static AcceptConfig accept(YamlNode node) {
    AcceptConfig d = ConfigDefaults.ACCEPT;
    return node.mapping(
        d,
        n ->
            new AcceptConfig(
                n.get("reusePort").bool(d.reusePort()),
                n.get("maxConnectionsPerWorker").integer(d.maxConnectionsPerWorker())));
  }

  private static KeepaliveConfig keepalive(YamlNode node) {
    KeepaliveConfig d = ConfigDefaults.KEEPALIVE;
    return node.mapping(
        d,
        n ->
            new KeepaliveConfig(
                n.get("idleTimeout").duration(d.idleTimeout()),
                n.get("maxRequestsPerConnection").integer(d.maxRequestsPerConnection())));
  }

  private static HttpLimits http(YamlNode node) {
    HttpLimits d = ConfigDefaults.HTTP;
    return node.mapping(
        d,
        n ->
            new HttpLimits(
                n.get("headerTimeout").duration(d.headerTimeout()),
                intSize(n.get("maxRequestLine"), d.maxRequestLine()),
                intSize(n.get("maxHeaderSize"), d.maxHeaderSize()),
                n.get("maxHeaders").integer(d.maxHeaders()),
                n.get("bodyTimeout").duration(d.bodyTimeout()),
                n.get("allowEncodedSlash").bool(d.allowEncodedSlash()),
                n.get("allowAmbiguousContentType").bool(d.allowAmbiguousContentType()),
                n.get("spoolFilesPerWorker").integer(d.spoolFilesPerWorker()),
                n.get("spoolBytesPerWorker").size(d.spoolBytesPerWorker())));
  }

  @SuppressWarnings(
      "NullAway") // a required field left out reads as null; the validator reports it before use
  private static PoolConfig pool(YamlNode node) {
    return node.mapping(
        null,
        n ->
            new PoolConfig(
                n.get("name").string(null),
                n.get("threads").integer(ConfigDefaults.POOL_THREADS),
                n.get("maxQueue").integer(ConfigDefaults.POOL_MAX_QUEUE),
                n.get("overflow")
                    .enumeration(PoolConfig.Overflow.class, ConfigDefaults.POOL_OVERFLOW),
                n.get("priority").enumeration(PoolConfig.Priority.class, null)));
  }

  /**
   * A size field held in an {@code int}: larger values are clamped so the validator reports the
   * range.
   */
  private static int intSize(YamlNode node, int otherwise) {
    return (int) Math.min(node.size(otherwise), Integer.MAX_VALUE);
  }
}
