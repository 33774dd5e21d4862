package dev.tpp.config;

/**
 * Reads one {@code listeners[i]} entry and its {@code tls:} block; defaults from {@link
 * ConfigDefaults}.
 */
@SuppressWarnings(
    "NullAway") // a required field left out reads as null; the validator reports it before use
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
                new Endpoint(
                    n.get("address").string(ConfigDefaults.LISTEN.address()),
                    n.get("port").integer(-1)),
                n.get("http2").bool(false),
                n.get("redirectToHttps").integer(0),
                n.get("tls").mapping(null, this::tls)));
  }

  static Http2Config http2(YamlNode node) {
    Http2Config d = ConfigDefaults.HTTP2;
    return node.mapping(
        d,
        n ->
            new Http2Config(
                n.get("maxConcurrentStreams").integer(d.maxConcurrentStreams()),
                (int)
                    Math.min(
                        n.get("maxHeaderListSize").size(d.maxHeaderListSize()), Integer.MAX_VALUE),
                (int)
                    Math.min(n.get("headerTableSize").size(d.headerTableSize()), Integer.MAX_VALUE),
                (int) Math.min(n.get("maxFrameSize").size(d.maxFrameSize()), Integer.MAX_VALUE),
                (int)
                    Math.min(
                        n.get("initialWindowSize").size(d.initialWindowSize()), Integer.MAX_VALUE),
                n.get("maxResets").integer(d.maxResets()),
                n.get("resetWindow").duration(d.resetWindow()),
                n.get("maxContinuationFrames").integer(d.maxContinuationFrames()),
                n.get("maxEmptyFrames").integer(d.maxEmptyFrames()),
                n.get("maxQueuedControlFrames").integer(d.maxQueuedControlFrames()),
                n.get("stallTimeout").duration(d.stallTimeout())));
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
