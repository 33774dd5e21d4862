package dev.tpp.proxy.server;

import dev.tpp.config.ProxyConfig;
import dev.tpp.proxy.admin.AdminServer;
import dev.tpp.proxy.admin.AdminState;
import dev.tpp.proxy.metrics.ProxyMetrics;
import dev.tpp.proxy.pool.OffloadPool;
import dev.tpp.proxy.pool.OffloadPools;
import dev.tpp.proxy.pool.PoolMetrics;
import dev.tpp.waf.engine.WafCompileException;
import dev.tpp.waf.engine.WafEngine;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running proxy: worker loops, listening sockets, offload pools, the admin endpoint, and the config generation in
 * force. {@link #start} and {@link #reload} run on a control thread (main, signal or watcher), never on a loop;
 * requests read {@link #generation()} once per request.
 */
public final class ProxyServer implements ServerState, AdminState, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("tpp.server");

  private final ProxyMetrics metrics;
  private final OffloadPools pools;
  private final GenerationBuilder builder;
  private final Transport transport = Transport.best();
  private final AtomicReference<Generation> generation = new AtomicReference<>();
  private final ChannelGroup connections = new DefaultChannelGroup("tpp-connections", GlobalEventExecutor.INSTANCE);
  private volatile boolean draining;
  private volatile String lastError;
  private Workers workers;
  private Listeners listeners;
  private AdminServer admin;

  private final GenerationBuilder.WafCompiler wafCompiler;

  private ProxyServer(ProxyMetrics metrics, GenerationBuilder.WafCompiler wafCompiler) {
    this.metrics = metrics;
    this.wafCompiler = wafCompiler;
    this.pools = new OffloadPools(PoolMetrics.factory(metrics.registry()));
    this.builder = new GenerationBuilder(metrics, pools);
  }

  /** Compiles the WAF rules of {@code config} without starting anything (for {@code --check}). */
  public static void checkWaf(ProxyConfig config) throws WafCompileException {
    GenerationBuilder.compileWaf(config.waf());
  }

  /** Starts a proxy on {@code config}; throws (and leaves nothing running) if the WAF does not compile or a port is taken. */
  public static ProxyServer start(ProxyConfig config) throws Exception {
    return start(config, GenerationBuilder::compileWaf);
  }

  /** Starts a proxy whose WAF engines come from {@code wafCompiler} (tests and embedders). */
  public static ProxyServer start(ProxyConfig config, GenerationBuilder.WafCompiler wafCompiler) throws Exception {
    ProxyServer server = new ProxyServer(new ProxyMetrics(), wafCompiler);
    try {
      server.startUp(config);
      return server;
    } catch (Exception e) {
      server.close();
      throw e;
    }
  }

  private void startUp(ProxyConfig config) throws Exception {
    WafEngine waf = wafCompiler.compile(config.waf());
    pools.apply(config.pools());
    publish(builder.build(config, waf));
    workers = new Workers(config.workers(), transport, metrics);
    listeners = new Listeners(config.listen(), config.accept(), transport, workers,
        countOnInit -> new ProxyChannelInitializer(this, workers, connections, countOnInit));
    admin = AdminServer.start(config.admin(), transport, this);
    log.info("event=started transport={} workers={} port={} admin_port={} hash={}", transport.name(),
        config.workers(), listeners.port(), admin.port(), generation().hash());
  }

  /**
   * Applies a new config to the running server: pools first (resized in place or swapped), then the new generation
   * is published atomically. Changes of workers, accept mode or ports need the listener hand-over of the hot-reload
   * feature and are logged as not applied. On a WAF compile error nothing changes.
   */
  public synchronized void reload(ProxyConfig config) throws WafCompileException {
    WafEngine waf;
    try {
      waf = wafCompiler.compile(config.waf());
    } catch (WafCompileException e) {
      rejected(e.getMessage());
      throw e;
    }
    ProxyConfig old = generation().config();
    List<OffloadPool> retired = pools.apply(config.pools());
    Generation previous = publish(builder.build(config, waf));
    OffloadPools.retire(retired, config.shutdownTimeout().toMillis());
    previous.router().close();
    if (old.workers() != config.workers() || !old.accept().equals(config.accept())
        || !old.listen().equals(config.listen()) || !old.admin().equals(config.admin())) {
      log.warn("event=reload_partial reason=\"workers, accept and ports apply at restart\"");
    }
    metrics.reload(true);
    log.info("event=reloaded hash={} previous={}", generation().hash(), previous.hash());
  }

  /** Records a config that could not be applied (the last good one stays in force). */
  public void rejected(String error) {
    lastError = error;
    metrics.reload(false);
    log.warn("event=reload_failed error=\"{}\"", error.replace('"', '\''));
  }

  private Generation publish(Generation next) {
    Generation previous = generation.getAndSet(next);
    lastError = null;
    metrics.configInForce(next.hash());
    return previous;
  }

  /**
   * Graceful stop: readyz turns 503, listening sockets close, idle connections close at once, busy ones after their
   * response (with {@code Connection: close}); after {@code shutdownTimeout} the rest are cut.
   */
  public void shutdown() throws InterruptedException {
    draining = true;
    long timeoutMs = generation().config().shutdownTimeout().toMillis();
    log.info("event=draining connections={} timeout_ms={}", connections.size(), timeoutMs);
    if (listeners != null) {
      listeners.close();
    }
    for (Channel ch : connections) {
      ch.eventLoop().execute(() -> {
        HttpDispatchHandler h = ch.pipeline().get(HttpDispatchHandler.class);
        if (h != null) {
          h.drain();
        }
      });
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!connections.isEmpty() && System.nanoTime() < deadline) {
      connections.newCloseFuture().await(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }
    log.info("event=drained remaining_connections={}", connections.size());
    close();
  }

  @Override
  public void close() throws InterruptedException {
    connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    if (listeners != null) {
      listeners.close();
    }
    if (workers != null) {
      workers.shutdownGracefully(0, 2000).await(3, TimeUnit.SECONDS);
    }
    pools.shutdown(1000);
    if (admin != null) {
      admin.close();
    }
  }

  public int port() {
    return listeners.port();
  }

  public int adminPort() {
    return admin.port();
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
  public String configHash() {
    return generation().hash();
  }

  @Override
  public Instant loadedAt() {
    return generation().loadedAt();
  }

  @Override
  public String lastError() {
    return lastError;
  }

  @Override
  public String scrape() {
    return metrics.scrape();
  }

  /** The worker loops (tests use them to observe or load a specific worker). */
  public Workers workers() {
    return workers;
  }

  public OffloadPools pools() {
    return pools;
  }
}
