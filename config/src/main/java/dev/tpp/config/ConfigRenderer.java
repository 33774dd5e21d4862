package dev.tpp.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Writes a {@link ProxyConfig} as a canonical {@code proxy.yaml}: every field, in the contract's
 * order, durations and sizes in their shortest exact text. {@code ConfigLoader.parse(toYaml(c),
 * dir)} equals {@code c}, and equal configs render to identical bytes, which is what {@link
 * ConfigHash} hashes. Pure and thread-safe; the operator renders its ConfigMaps with it.
 */
public final class ConfigRenderer {
  private ConfigRenderer() {}

  public static String toYaml(ProxyConfig c) {
    Map<String, Object> root = new LinkedHashMap<>();
    Map<String, Object> listen = endpoint(c.listen());
    // new keys only when set, so configs written before they existed keep their hash
    if (c.listenOptions().http2()) {
      listen.put("http2", true);
    }
    if (c.listenOptions().redirectToHttps() != 0) {
      listen.put("redirectToHttps", c.listenOptions().redirectToHttps());
    }
    root.put("listen", listen);
    root.put("admin", endpoint(c.admin()));
    root.put("workers", c.workers());
    Map<String, Object> accept = map("reusePort", c.accept().reusePort());
    putIfChanged(
        accept,
        "maxConnectionsPerWorker",
        c.accept().maxConnectionsPerWorker(),
        ConfigDefaults.ACCEPT.maxConnectionsPerWorker());
    root.put("accept", accept);
    root.put(
        "keepalive",
        map(
            "idleTimeout", Durations.format(c.keepalive().idleTimeout()),
            "maxRequestsPerConnection", c.keepalive().maxRequestsPerConnection()));
    root.put("http", http(c.http()));
    root.put("shutdownTimeout", Durations.format(c.shutdownTimeout()));
    root.put(
        "pools",
        each(
            c.pools(),
            p ->
                pool(
                    p, ConfigDefaults.poolPriority(c.routes(), c.waf(), c.listeners(), p.name()))));
    root.put("upstreams", each(c.upstreams(), ConfigRenderer::upstream));
    root.put("routes", each(c.routes(), ConfigRenderer::route));
    root.put("waf", waf(c.waf()));
    if (!c.listeners().isEmpty()) {
      root.put("listeners", each(c.listeners(), ConfigRenderer::listener));
    }
    if (!c.http2().equals(ConfigDefaults.HTTP2)) {
      root.put("http2", http2(c.http2()));
    }
    return yaml().dump(root);
  }

  private static Map<String, Object> endpoint(Endpoint e) {
    return map("address", e.address(), "port", e.port());
  }

  /**
   * The fields added after the contract's file appear only when they differ from their defaults, so
   * the config hash of a file that does not use them stays what it was (pods and operators of
   * different versions agree).
   */
  private static Map<String, Object> http(HttpLimits h) {
    Map<String, Object> m =
        map(
            "headerTimeout",
            Durations.format(h.headerTimeout()),
            "maxRequestLine",
            Quantities.format(h.maxRequestLine()),
            "maxHeaderSize",
            Quantities.format(h.maxHeaderSize()));
    HttpLimits d = ConfigDefaults.HTTP;
    putIfChanged(m, "maxHeaders", h.maxHeaders(), d.maxHeaders());
    putIfChanged(
        m, "bodyTimeout", Durations.format(h.bodyTimeout()), Durations.format(d.bodyTimeout()));
    putIfChanged(m, "allowEncodedSlash", h.allowEncodedSlash(), d.allowEncodedSlash());
    putIfChanged(
        m,
        "allowAmbiguousContentType",
        h.allowAmbiguousContentType(),
        d.allowAmbiguousContentType());
    putIfChanged(m, "spoolFilesPerWorker", h.spoolFilesPerWorker(), d.spoolFilesPerWorker());
    putIfChanged(
        m,
        "spoolBytesPerWorker",
        Quantities.format(h.spoolBytesPerWorker()),
        Quantities.format(d.spoolBytesPerWorker()));
    return m;
  }

  private static void putIfChanged(
      Map<String, Object> m, String key, Object value, Object otherwise) {
    if (!value.equals(otherwise)) {
      m.put(key, value);
    }
  }

  private static Map<String, Object> listener(ListenerConfig l) {
    Map<String, Object> m =
        map("name", l.name(), "address", l.endpoint().address(), "port", l.endpoint().port());
    m.put("http2", l.http2());
    if (l.redirectToHttps() != 0) {
      m.put("redirectToHttps", l.redirectToHttps());
    }
    if (l.tls() != null) {
      TlsConfig t = l.tls();
      Map<String, Object> tls =
          map("certificates", each(t.certificates(), ConfigRenderer::certificate));
      tls.put("pool", t.pool());
      tls.put("protocols", new ArrayList<>(t.protocols()));
      tls.put("handshakeTimeout", Durations.format(t.handshakeTimeout()));
      m.put("tls", tls);
    }
    return m;
  }

  private static Map<String, Object> http2(Http2Config h) {
    Map<String, Object> m =
        map(
            "maxConcurrentStreams",
            h.maxConcurrentStreams(),
            "maxHeaderListSize",
            Quantities.format(h.maxHeaderListSize()));
    m.put("headerTableSize", Quantities.format(h.headerTableSize()));
    m.put("maxFrameSize", Quantities.format(h.maxFrameSize()));
    m.put("initialWindowSize", Quantities.format(h.initialWindowSize()));
    m.put("maxResets", h.maxResets());
    m.put("resetWindow", Durations.format(h.resetWindow()));
    m.put("maxContinuationFrames", h.maxContinuationFrames());
    m.put("maxEmptyFrames", h.maxEmptyFrames());
    m.put("maxQueuedControlFrames", h.maxQueuedControlFrames());
    m.put("stallTimeout", Durations.format(h.stallTimeout()));
    return m;
  }

  private static Map<String, Object> certificate(TlsConfig.Certificate c) {
    Map<String, Object> m = map("certFile", c.certFile(), "keyFile", c.keyFile());
    if (!c.serverNames().isEmpty()) {
      m.put("serverNames", new ArrayList<>(c.serverNames()));
    }
    return m;
  }

  /**
   * A priority equal to the default is left out: the same config hashes the same whether it is
   * written or not.
   */
  private static Map<String, Object> pool(PoolConfig p, PoolConfig.Priority defaultPriority) {
    Map<String, Object> m = map("name", p.name(), "threads", p.threads(), "maxQueue", p.maxQueue());
    m.put("overflow", p.overflow().yamlName());
    if (p.priority() != null && p.priority() != defaultPriority) {
      m.put("priority", p.priority().yamlName());
    }
    return m;
  }

  private static Map<String, Object> upstream(UpstreamConfig u) {
    Map<String, Object> m =
        map("name", u.name(), "endpoints", each(u.endpoints(), Object::toString));
    m.put("keepaliveConnections", u.keepaliveConnections());
    m.put("connectTimeout", Durations.format(u.connectTimeout()));
    m.put("responseTimeout", Durations.format(u.responseTimeout()));
    balancing(u, m);
    return m;
  }

  /**
   * The balancing fields only when they differ from the defaults: configs written before they
   * existed keep their rendering, hence their hash, and no fleet restarts for an upgrade.
   */
  private static void balancing(UpstreamConfig u, Map<String, Object> m) {
    if (u.loadBalancing() != ConfigDefaults.UPSTREAM_BALANCING) {
      m.put("loadBalancing", u.loadBalancing().yamlName());
    }
    if (u.hashOn() != null) {
      m.put(
          "hashOn",
          u.hashOn().header() != null
              ? map("header", u.hashOn().header())
              : map(
                  "cookie",
                  Objects.requireNonNull(u.hashOn().cookie(), "hashOn: header or cookie")));
    }
    if (!ConfigDefaults.UPSTREAM_RESOLVE_EVERY.equals(u.resolveEvery())) {
      m.put("resolveEvery", Durations.format(u.resolveEvery()));
    }
    if (u.outlierDetection() != null) {
      UpstreamConfig.OutlierDetection o = u.outlierDetection();
      m.put(
          "outlierDetection",
          map(
              "consecutiveErrors",
              o.consecutiveErrors(),
              "baseEjectionTime",
              Durations.format(o.baseEjectionTime()),
              "maxEjectionPercent",
              o.maxEjectionPercent()));
    }
  }

  private static Map<String, Object> route(RouteConfig r) {
    Map<String, Object> m = map("name", r.name(), "path", r.path(), "host", r.host());
    m.put("waf", r.waf());
    RouteAction a = r.action();
    if (a instanceof RouteAction.Files) {
      RouteAction.Files f = (RouteAction.Files) a;
      m.put("files", map("root", f.root(), "pool", f.pool()));
    } else if (a instanceof RouteAction.Thumbnail) {
      RouteAction.Thumbnail t = (RouteAction.Thumbnail) a;
      Map<String, Object> thumbnail =
          map("root", t.root(), "width", t.width(), "height", t.height());
      thumbnail.put("pool", t.pool());
      m.put("thumbnail", thumbnail);
    } else if (a instanceof RouteAction.Return) {
      RouteAction.Return ret = (RouteAction.Return) a;
      m.put("return", map("status", ret.status(), "body", ret.body()));
    } else {
      m.put("upstream", ((RouteAction.Upstream) a).upstream());
    }
    return m;
  }

  private static Map<String, Object> waf(WafConfig w) {
    Map<String, Object> m = map("enabled", w.enabled(), "pool", w.pool());
    m.put("mode", w.mode().name().toLowerCase(Locale.ROOT));
    m.put("requestBodyLimit", Quantities.format(w.requestBodyLimit()));
    m.put("inMemoryBodyLimit", Quantities.format(w.inMemoryBodyLimit()));
    Map<String, Object> crs = map("enabled", w.crs().enabled(), "path", w.crs().path());
    crs.put("paranoiaLevel", w.crs().paranoiaLevel());
    crs.put("anomalyThreshold", w.crs().anomalyThreshold());
    m.put("crs", crs);
    m.put("ruleFiles", new ArrayList<>(w.ruleFiles()));
    m.put("rules", w.rules());
    return m;
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  private static <T> List<Object> each(List<T> items, Function<T, Object> render) {
    List<Object> out = new ArrayList<>(items.size());
    items.forEach(item -> out.add(render.apply(item)));
    return out;
  }

  private static Yaml yaml() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setIndicatorIndent(0);
    options.setSplitLines(false);
    return new Yaml(new MultilineLiteralRepresenter(options), options);
  }

  /**
   * Multi-line strings (inline SecLang rules) as {@code |} blocks, readable in a ConfigMap; the
   * emitter falls back to a quoted scalar when a block cannot hold the text exactly.
   */
  private static final class MultilineLiteralRepresenter extends Representer {
    MultilineLiteralRepresenter(DumperOptions options) {
      super(options);
      this.representers.put(
          String.class,
          data -> {
            String s = (String) data;
            boolean multiLine = s.contains("\n");
            return representScalar(
                Tag.STR, s, multiLine ? DumperOptions.ScalarStyle.LITERAL : defaultScalarStyle);
          });
    }
  }
}
