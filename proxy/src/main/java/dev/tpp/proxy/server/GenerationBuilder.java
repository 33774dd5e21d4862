package dev.tpp.proxy.server;

import dev.tpp.config.ConfigException;
import dev.tpp.config.ProxyConfig;
import dev.tpp.config.RouteAction;
import dev.tpp.config.RouteConfig;
import dev.tpp.config.RuleFiles;
import dev.tpp.config.UpstreamConfig;
import dev.tpp.config.WafConfig;
import dev.tpp.proxy.metrics.ProxyMetrics;
import dev.tpp.proxy.pool.OffloadPool;
import dev.tpp.proxy.pool.OffloadPools;
import dev.tpp.proxy.route.Route;
import dev.tpp.proxy.route.RouteHandler;
import dev.tpp.proxy.route.Router;
import dev.tpp.proxy.route.files.FilesHandler;
import dev.tpp.proxy.route.fixed.ReturnHandler;
import dev.tpp.proxy.route.thumbnail.ThumbnailHandler;
import dev.tpp.proxy.route.upstream.EndpointDirectory;
import dev.tpp.proxy.route.upstream.Upstream;
import dev.tpp.proxy.route.upstream.UpstreamHandler;
import dev.tpp.proxy.waf.WafGate;
import dev.tpp.proxy.waf.WafRouteHandler;
import dev.tpp.waf.engine.WafCompileException;
import dev.tpp.waf.engine.WafEngine;
import dev.tpp.waf.engine.WafEngineBuilder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link Generation} from a validated config, off the event loops: compiles the WAF rules,
 * builds each route's handler against the live pools, and puts the WAF in front of each route that
 * has {@code waf: true} ({@link WafRouteHandler}). Throws before anything is published, so a config
 * whose WAF rules do not compile changes nothing.
 */
public final class GenerationBuilder {
  private final ProxyMetrics metrics;
  private final OffloadPools pools;
  private final @Nullable HandlerOverride override;
  private final EndpointDirectory endpoints;

  GenerationBuilder(
      ProxyMetrics metrics,
      OffloadPools pools,
      @Nullable HandlerOverride override,
      EndpointDirectory endpoints) {
    this.metrics = metrics;
    this.pools = pools;
    this.override = override;
    this.endpoints = endpoints;
  }

  /**
   * Supplies a route's handler before the built-in ones are asked (tests, embedders); returns null
   * to decline.
   */
  @FunctionalInterface
  public interface HandlerOverride {
    @Nullable RouteHandler handlerFor(RouteConfig route);
  }

  /**
   * Turns a WAF config into an engine; {@link #compileWaf} is the real one, tests and embedders may
   * pass their own.
   */
  @FunctionalInterface
  public interface WafCompiler {
    @Nullable WafEngine compile(WafConfig waf) throws WafCompileException;
  }

  /**
   * Compiles the WAF of {@code config} (null when disabled); throws naming the rule source and
   * line.
   */
  static @Nullable WafEngine compileWaf(WafConfig waf) throws WafCompileException {
    if (!waf.enabled()) {
      return null;
    }
    WafEngineBuilder builder = WafEngine.builder();
    if (waf.crs().enabled()) {
      builder.crs(
          Path.of(waf.crs().path()), waf.crs().paranoiaLevel(), waf.crs().anomalyThreshold());
    }
    try {
      for (Path file : RuleFiles.expandRuleFiles(waf)) {
        builder.ruleFile(file);
      }
    } catch (ConfigException e) {
      throw new WafCompileException(e.getMessage(), e);
    }
    if (waf.rules() != null && !waf.rules().isBlank()) {
      builder.rules("waf.rules", waf.rules(), Path.of("."));
    }
    return builder.build();
  }

  /**
   * Builds routes on the pools as they now are (call after {@link OffloadPools#apply}). {@code
   * hash} is the hash of the config as written, which may differ from {@code config} by an {@link
   * AddressOverride}.
   */
  Generation build(ProxyConfig config, @Nullable WafEngine engine, String hash) {
    // One Upstream (its per-loop keepalive pools) per configured upstream, shared by the routes
    // naming it.
    Map<String, Upstream> upstreams = new LinkedHashMap<>();
    for (UpstreamConfig uc : config.upstreams()) {
      upstreams.put(uc.name(), new Upstream(uc, metrics.registry(), endpoints));
    }
    WafGate waf =
        engine == null
            ? null
            : new WafGate(
                engine, config.waf(), config.http(), pool(config.waf().pool()), metrics.registry());
    List<Route> routes = new ArrayList<>();
    for (RouteConfig rc : config.routes()) {
      RouteHandler custom = override == null ? null : override.handlerFor(rc);
      RouteHandler handler = custom != null ? custom : handlerFor(rc.action(), upstreams);
      // The WAF wraps the route here, once per config, so the dispatcher treats every route alike.
      routes.add(
          new Route(rc, waf != null && rc.waf() ? new WafRouteHandler(waf, handler) : handler));
    }
    List<AutoCloseable> resources = new ArrayList<>(upstreams.values());
    return new Generation(config, hash, Instant.now(), new Router(routes, resources));
  }

  private RouteHandler handlerFor(RouteAction action, Map<String, Upstream> upstreams) {
    if (action instanceof RouteAction.Return r) {
      return new ReturnHandler(r);
    } else if (action instanceof RouteAction.Files f) {
      return new FilesHandler(f, pool(f.pool()));
    } else if (action instanceof RouteAction.Thumbnail t) {
      return new ThumbnailHandler(t, pool(t.pool()));
    }
    String upstream = ((RouteAction.Upstream) action).upstream();
    return new UpstreamHandler(
        Objects.requireNonNull(
            upstreams.get(upstream), () -> "upstream " + upstream + ": validated"));
  }

  /** A pool the config names: the validator checked that it exists. */
  private OffloadPool pool(String name) {
    return Objects.requireNonNull(pools.get(name), () -> "pool " + name + ": validated");
  }
}
