package dev.tpp.proxy.server;

import dev.tpp.config.ConfigHash;
import dev.tpp.config.ProxyConfig;
import dev.tpp.config.tls.CertificateFileException;
import dev.tpp.proxy.admin.AdminServer;
import dev.tpp.proxy.admin.AdminState;
import dev.tpp.proxy.http2.Http2Metrics;
import dev.tpp.proxy.metrics.ProxyMetrics;
import dev.tpp.proxy.pool.OffloadPool;
import dev.tpp.proxy.pool.OffloadPools;
import dev.tpp.proxy.pool.PoolMetrics;
import dev.tpp.proxy.route.upstream.EndpointDirectory;
import dev.tpp.proxy.tls.TlsContexts;
import dev.tpp.proxy.transport.Transport;
import dev.tpp.waf.engine.WafCompileException;
import dev.tpp.waf.engine.WafEngine;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running proxy: worker loops, listening sockets, offload pools, the admin endpoint, and the
 * config generation in force. {@link #start} and {@link #reload} run on a control thread (main,
 * signal or watcher), never on a loop, one at a time; requests read {@link #generation()} once per
 * request. See {@code docs/hot-reload.md}.
 */
public final class ProxyServer implements ServerState, AdminState, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("tpp.server");

  private final ProxyMetrics metrics;
  private final OffloadPools pools;
  private final GenerationBuilder builder;
  private final EndpointDirectory endpoints = new EndpointDirectory();
  private final Transport transport = Transport.best();
  private final AtomicReference<Generation> generation = new AtomicReference<>();
  private final ChannelGroup connections =
      new DefaultChannelGroup("tpp-connections", GlobalEventExecutor.INSTANCE);
  private final GenerationTracker tracker = new GenerationTracker();
  private final Retirements retirements = new Retirements();
  private final Topology topology;
  private final TlsContexts tls;
  private final Http2Metrics http2Metrics;
  private volatile boolean draining;
  private boolean closed;
  private volatile @Nullable String lastError;
  private @Nullable AdminServer admin;

  private final GenerationBuilder.WafCompiler wafCompiler;
  private final AddressOverride addresses;

  private ProxyServer(
      ProxyMetrics metrics,
      GenerationBuilder.WafCompiler wafCompiler,
      GenerationBuilder.@Nullable HandlerOverride handlers,
      AddressOverride addresses) {
    this.metrics = metrics;
    this.addresses = addresses;
    this.topology =
        new Topology(
            transport,
            metrics,
            (w, countOnInit, listener, serving) ->
                new ProxyChannelInitializer(this, w, connections, countOnInit, listener, serving),
            retirements);
    this.wafCompiler = wafCompiler;
    this.pools = new OffloadPools(PoolMetrics.factory(metrics.registry()));
    this.tls = new TlsContexts(pools, metrics.registry());
    this.http2Metrics = new Http2Metrics(metrics.registry());
    this.builder = new GenerationBuilder(metrics, pools, handlers, endpoints);
  }

  /**
   * Where {@code endpoints.yaml} delivers endpoint sets to every generation's upstreams
   * (docs/routes-upstream.md).
   */
  public EndpointDirectory endpoints() {
    return endpoints;
  }

  /** Compiles the WAF rules of {@code config} without starting anything (for {@code --check}). */
  public static void checkWaf(ProxyConfig config) throws WafCompileException {
    GenerationBuilder.compileWaf(config.waf());
  }

  /**
   * Starts a proxy on {@code config}; throws (and leaves nothing running) if the WAF does not
   * compile or a port is taken.
   */
  public static ProxyServer start(ProxyConfig config) throws Exception {
    return start(config, AddressOverride.NONE);
  }

  /**
   * Starts a proxy on {@code config} bound where {@code addresses} says, for this config and every
   * reloaded one; the config hash stays that of {@code config} as written.
   */
  public static ProxyServer start(ProxyConfig config, AddressOverride addresses) throws Exception {
    return start(config, GenerationBuilder::compileWaf, null, addresses);
  }

  /** Starts a proxy whose WAF engines come from {@code wafCompiler} (tests and embedders). */
  public static ProxyServer start(
      ProxyConfig config, GenerationBuilder.@Nullable WafCompiler wafCompiler) throws Exception {
    return start(config, wafCompiler, null);
  }

  /**
   * Starts a proxy whose WAF engines (null: the SecLang engine) and, where {@code handlers}
   * answers, route handlers come from the caller.
   */
  public static ProxyServer start(
      ProxyConfig config,
      GenerationBuilder.@Nullable WafCompiler wafCompiler,
      GenerationBuilder.@Nullable HandlerOverride handlers)
      throws Exception {
    return start(config, wafCompiler, handlers, AddressOverride.NONE);
  }

  private static ProxyServer start(
      ProxyConfig config,
      GenerationBuilder.@Nullable WafCompiler wafCompiler,
      GenerationBuilder.@Nullable HandlerOverride handlers,
      AddressOverride addresses)
      throws Exception {
    ProxyServer server =
        new ProxyServer(
            new ProxyMetrics(),
            wafCompiler == null ? GenerationBuilder::compileWaf : wafCompiler,
            handlers,
            addresses);
    try {
      server.startUp(config);
      return server;
    } catch (Exception e) {
      server.close();
      throw e;
    }
  }

  private void startUp(ProxyConfig written) throws Exception {
    ProxyConfig config = addresses.apply(written);
    WafEngine waf = wafCompiler.compile(config.waf());
    TlsContexts.Prepared certificates = tls.prepare(config);
    pools.apply(config.pools());
    Generation first = builder.build(config, waf, ConfigHash.of(written));
    tracker.published(first);
    publish(first);
    tls.publish(certificates);
    topology.start(config);
    admin = AdminServer.start(config.admin(), transport, this);
    log.info(
        "event=started transport={} workers={} address={} port={} admin_address={} admin_port={} hash={}",
        transport.name(),
        config.workers(),
        config.listen().address(),
        topology.port(),
        config.admin().address(),
        admin.port(),
        generation().hash());
  }

  /**
   * Applies a new config to the running server. Everything is prepared first, off the event loops:
   * the WAF compiled, a new worker generation started and the listening sockets handed to it (or
   * new ones bound for a new port), the pools resized or swapped, the routes built. Only then is
   * the new generation published, with one atomic write. What it replaced is released in the
   * background once unused: old workers drain their connections then stop, old route handlers close
   * when their generation's last exchange ends, swapped-out pools drain after that. When any
   * preparation fails nothing is published and the failure is recorded ({@link #rejected}); the
   * method throws.
   */
  public synchronized void reload(ProxyConfig written) throws WafCompileException {
    ProxyConfig config = addresses.apply(written);
    Generation previous = generation();
    WafEngine waf;
    try {
      waf = wafCompiler.compile(config.waf());
    } catch (WafCompileException e) {
      rejected("waf: " + e.getMessage());
      throw e;
    }
    TlsContexts.Prepared certificates;
    try {
      certificates = tls.prepare(config);
    } catch (CertificateFileException e) {
      rejected(e.getMessage());
      throw new IllegalStateException(e.getMessage(), e);
    }
    Topology.Change change = null;
    List<OffloadPool> retired = List.of();
    Generation next;
    try {
      change = topology.prepare(previous.config(), config);
      retired = pools.apply(config.pools());
      next = builder.build(config, waf, ConfigHash.of(written));
    } catch (Exception e) {
      if (change != null) {
        change.undo();
      }
      tls.discard(certificates);
      afterPoolsUnused(previous, retired, config);
      String error = e.getMessage() == null ? e.toString() : e.getMessage();
      rejected(error);
      throw new IllegalStateException(error, e);
    }
    tracker.published(next);
    tls.publish(certificates); // before the generation: a connection accepted under next finds its
    // certificates
    publish(next);
    change.commit();
    afterPoolsUnused(previous, retired, config);
    previous.retire(
        () ->
            retirements.run(
                () -> {
                  previous.router().close();
                  tracker.released(previous);
                }));
    if (!previous.config().admin().equals(config.admin())) {
      log.warn("event=reload_partial reason=\"admin address and port apply at restart\"");
    }
    metrics.reload(true);
    log.info(
        "event=reloaded hash={} previous={} workers={} port={}",
        next.hash(),
        previous.hash(),
        config.workers(),
        topology.port());
  }

  /**
   * Reloads the certificate and key files of the config in force (they changed on disk: a renewal,
   * a Secret update). New handshakes use the new pairs at once; established connections keep
   * theirs. A pair that cannot be served leaves every listener on its last good pairs, recorded
   * like a failed config reload. True when the new pairs are in force.
   */
  public synchronized boolean reloadCertificates(String trigger) {
    log.info("event=certificates_reload_started trigger={}", trigger);
    try {
      tls.publish(tls.prepare(generation().config()));
    } catch (CertificateFileException e) {
      rejected(e.getMessage());
      return false;
    }
    metrics.reload(true);
    lastError = null;
    log.info("event=certificates_reloaded hash={}", generation().hash());
    return true;
  }

  /** Swapped-out pools drain once no generation up to {@code previous} can still submit to them. */
  private void afterPoolsUnused(
      Generation previous, List<OffloadPool> retired, ProxyConfig config) {
    if (!retired.isEmpty()) {
      tracker.whenReleasedThrough(
          previous, () -> OffloadPools.retire(retired, config.shutdownTimeout().toMillis()));
    }
  }

  /** Records a config that could not be applied (the last good one stays in force). */
  public void rejected(String error) {
    lastError = error;
    metrics.reload(false);
    log.warn(
        "event=reload_failed hash_in_force={} error=\"{}\"",
        generation().hash(),
        error.replace('"', '\''));
  }

  private Generation publish(Generation next) {
    Generation previous = generation.getAndSet(next);
    lastError = null;
    metrics.configInForce(next.hash());
    return previous;
  }

  /**
   * Graceful stop: readyz turns 503, listening sockets close, idle connections close at once, busy
   * ones after their response (with {@code Connection: close}); after {@code shutdownTimeout} the
   * rest are cut.
   */
  public void shutdown() throws InterruptedException {
    draining = true;
    long timeoutMs = generation().config().shutdownTimeout().toMillis();
    log.info("event=draining connections={} timeout_ms={}", connections.size(), timeoutMs);
    topology.stopAccepting();
    for (Channel ch : connections) {
      ConnectionLifecycle.drain(ch);
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!connections.isEmpty() && System.nanoTime() < deadline) {
      connections
          .newCloseFuture()
          .await(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }
    log.info("event=drained remaining_connections={}", connections.size());
    close();
  }

  @Override
  public synchronized void close() throws InterruptedException {
    if (closed) {
      return; // shutdown() closed it already; a caller's close (try-with-resources) is then a no-op
    }
    closed = true;
    connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    topology.close();
    retirements.close();
    tracker.runPending(); // swapped-out pools that still waited for old generations stop now too
    pools.shutdown(1000);
    tls.close();
    if (admin != null) {
      admin.close();
    }
    metrics.close();
  }

  public int port() {
    return topology.port();
  }

  /**
   * The bound port of the listener named {@code name} ({@code "http"} is {@code listen:}), or -1.
   */
  public int port(String name) {
    return topology.port(name);
  }

  public int adminPort() {
    return Objects.requireNonNull(admin, "admin: start() starts it").port();
  }

  @Override
  public Generation generation() {
    return generation.get();
  }

  @Override
  public ProxyMetrics metrics() {
    return metrics;
  }

  @Override
  public boolean draining() {
    return draining;
  }

  @Override
  public TlsContexts tls() {
    return tls;
  }

  @Override
  public Http2Metrics http2Metrics() {
    return http2Metrics;
  }

  @Override
  public String configHash() {
    return generation().hash();
  }

  @Override
  public Instant loadedAt() {
    return generation().loadedAt();
  }

  @Override
  public @Nullable String lastError() {
    return lastError;
  }

  @Override
  public String scrape() {
    return metrics.scrape();
  }

  /** The worker loops (tests use them to observe or load a specific worker). */
  public Workers workers() {
    return topology.workers();
  }

  public OffloadPools pools() {
    return pools;
  }
}
