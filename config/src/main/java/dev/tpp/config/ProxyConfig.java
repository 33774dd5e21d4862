package dev.tpp.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One complete, validated proxy configuration ({@code proxy.yaml}): immutable, so event loops and
 * pool threads may share it without locks. Built by {@link ConfigLoader}, which applies the
 * defaults and runs {@link ConfigValidator}, or by the operator from a custom resource, which runs
 * the same validator before rendering it with {@link ConfigRenderer}. The constructor itself does
 * not validate: call {@link ConfigValidator#validate} on one built in code; it only sets each
 * pool's unwritten priority ({@link ConfigDefaults#poolPriority}).
 */
public record ProxyConfig(
    Endpoint listen,
    Endpoint admin,
    int workers,
    AcceptConfig accept,
    KeepaliveConfig keepalive,
    HttpLimits http,
    Duration shutdownTimeout,
    List<PoolConfig> pools,
    List<UpstreamConfig> upstreams,
    List<RouteConfig> routes,
    WafConfig waf,
    ListenOptions listenOptions,
    List<ListenerConfig> listeners,
    Http2Config http2) {

  public ProxyConfig {
    upstreams = List.copyOf(upstreams);
    routes = List.copyOf(routes);
    listeners = List.copyOf(listeners);
    // A pool that does not write its priority gets the default for its work, whoever built the
    // config.
    pools = List.copyOf(ConfigDefaults.withPriorities(pools, routes, waf, listeners));
  }

  /** A config with only the main listener ({@code listen:}, plain HTTP/1.1). */
  public ProxyConfig(
      Endpoint listen,
      Endpoint admin,
      int workers,
      AcceptConfig accept,
      KeepaliveConfig keepalive,
      HttpLimits http,
      Duration shutdownTimeout,
      List<PoolConfig> pools,
      List<UpstreamConfig> upstreams,
      List<RouteConfig> routes,
      WafConfig waf) {
    this(
        listen,
        admin,
        workers,
        accept,
        keepalive,
        http,
        shutdownTimeout,
        pools,
        upstreams,
        routes,
        waf,
        ListenOptions.DEFAULT,
        List.of(),
        ConfigDefaults.HTTP2);
  }

  /**
   * Every data-port listener: the main one ({@code listen:}, named {@value ListenerConfig#MAIN}),
   * then {@code listeners}.
   */
  public List<ListenerConfig> allListeners() {
    List<ListenerConfig> all = new ArrayList<>(listeners.size() + 1);
    all.add(
        new ListenerConfig(
            ListenerConfig.MAIN,
            listen,
            listenOptions.http2(),
            listenOptions.redirectToHttps(),
            null));
    all.addAll(listeners);
    return all;
  }

  /** This config with {@code listen} and {@code listeners} replaced (address overrides, tests). */
  public ProxyConfig withListeners(Endpoint newListen, List<ListenerConfig> newListeners) {
    return new ProxyConfig(
        newListen,
        admin,
        workers,
        accept,
        keepalive,
        http,
        shutdownTimeout,
        pools,
        upstreams,
        routes,
        waf,
        listenOptions,
        newListeners,
        http2);
  }

  /** The pool named {@code name}, or {@code null}. */
  public @Nullable PoolConfig pool(@Nullable String name) {
    return pools.stream()
        .filter(p -> name != null && name.equals(p.name()))
        .findFirst()
        .orElse(null);
  }

  /** The upstream named {@code name}, or {@code null}. */
  public @Nullable UpstreamConfig upstream(@Nullable String name) {
    return upstreams.stream()
        .filter(u -> name != null && name.equals(u.name()))
        .findFirst()
        .orElse(null);
  }
}
