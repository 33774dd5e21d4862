package dev.tpp.config;

/** Reads one {@code listeners[i]} entry and its {@code tls:} block; defaults from {@link ConfigDefaults}. */
final class ListenerReader {
  private final ConfigReader paths;

  ListenerReader(ConfigReader paths) {
    this.paths = paths;
  }

  ListenerConfig listener(YamlNode node) {
    return node.mapping(
        null,
        n ->
            new ListenerConfig(
                n.get("name").string(null),
                new Endpoint(n.get("address").string(ConfigDefaults.LISTEN.address()), n.get("port").integer(-1)),
                n.get("http2").bool(false),
                n.get("redirectToHttps").integer(0),
                n.get("tls").mapping(null, this::tls)));
  }

  private TlsConfig tls(YamlNode n) {
    YamlNode protocols = n.get("protocols");
    return new TlsConfig(
        ConfigReader.list(n.get("certificates"), this::certificate),
        n.get("pool").string(ConfigDefaults.TLS_POOL),
        protocols.isSet() ? ConfigReader.list(protocols, p -> p.string("")) : TlsConfig.PROTOCOLS,
        n.get("handshakeTimeout").duration(ConfigDefaults.TLS_HANDSHAKE_TIMEOUT));
  }

  private TlsConfig.Certificate certificate(YamlNode node) {
    return node.mapping(
        null,
        n ->
            new TlsConfig.Certificate(
                paths.path(n.get("certFile"), null),
                paths.path(n.get("keyFile"), null),
                ConfigReader.list(n.get("serverNames"), s -> s.string(""))));
  }
}
