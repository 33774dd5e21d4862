package dev.tpp.proxy.server;

import dev.tpp.config.Endpoint;
import dev.tpp.config.ListenerConfig;
import dev.tpp.config.ProxyConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Bind addresses that replace {@code listen.address} and {@code admin.address} of every config the
 * server runs, from the environment ({@link #LISTEN_ENV}, {@link #ADMIN_ENV}); ports stay the
 * file's. Applied after parsing and never part of the config hash: {@code /config} and {@code
 * tpp_config_info} keep reporting the hash of the file as written, which is what the operator
 * computes, so a pod given its own address (a node agent, a host with several proxies, a test on
 * 127.0.0.2) still counts as on the operator's config. Immutable; read on the control thread.
 *
 * @param listen the data port's bind address, or null to keep the file's
 * @param admin the admin port's bind address, or null to keep the file's
 */
public record AddressOverride(@Nullable String listen, @Nullable String admin) {
  public static final String LISTEN_ENV = "TPP_LISTEN_ADDRESS";
  public static final String ADMIN_ENV = "TPP_ADMIN_ADDRESS";
  public static final AddressOverride NONE = new AddressOverride(null, null);

  /**
   * Reads {@link #LISTEN_ENV} and {@link #ADMIN_ENV}; an unset variable keeps the file's address.
   *
   * @throws IllegalArgumentException naming each variable that is set but empty or not a bare
   *     address
   */
  public static AddressOverride fromEnvironment(Map<String, String> env) {
    List<String> errors = new ArrayList<>();
    String listen = check(LISTEN_ENV, env.get(LISTEN_ENV), errors);
    String admin = check(ADMIN_ENV, env.get(ADMIN_ENV), errors);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
    return new AddressOverride(listen, admin);
  }

  private static @Nullable String check(String name, @Nullable String value, List<String> errors) {
    if (value == null) {
      return null;
    }
    String trimmed = value.strip();
    // A port or a URL here is a mistake worth naming: ports come from the file. IPv6 literals keep
    // their colons.
    boolean hostPort =
        trimmed.indexOf(':') >= 0 && trimmed.indexOf(':') == trimmed.lastIndexOf(':');
    if (trimmed.isEmpty()
        || hostPort
        || trimmed.contains("/")
        || trimmed.chars().anyMatch(Character::isWhitespace)) {
      errors.add(
          name
              + ": \""
              + value
              + "\" (expected: an IP address or host name to bind, such as 127.0.0.2,"
              + " without a port; unset it to use the config file's address)");
      return null;
    }
    return trimmed;
  }

  public boolean isEmpty() {
    return listen == null && admin == null;
  }

  /** {@code config} with the overridden addresses; the same instance when nothing is overridden. */
  public ProxyConfig apply(ProxyConfig config) {
    if (isEmpty()) {
      return config;
    }
    List<ListenerConfig> listeners = new ArrayList<>();
    for (ListenerConfig l :
        config.listeners()) { // the listen address applies to every data-port listener
      listeners.add(
          new ListenerConfig(
              l.name(), endpoint(l.endpoint(), listen), l.http2(), l.redirectToHttps(), l.tls()));
    }
    ProxyConfig moved = config.withListeners(endpoint(config.listen(), listen), listeners);
    return new ProxyConfig(
        moved.listen(),
        endpoint(config.admin(), admin),
        config.workers(),
        config.accept(),
        config.keepalive(),
        config.http(),
        config.shutdownTimeout(),
        config.pools(),
        config.upstreams(),
        config.routes(),
        config.waf(),
        config.listenOptions(),
        moved.listeners(),
        config.http2());
  }

  private static Endpoint endpoint(Endpoint written, @Nullable String address) {
    return address == null ? written : new Endpoint(address, written.port());
  }
}
