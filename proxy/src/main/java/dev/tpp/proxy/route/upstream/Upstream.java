package dev.tpp.proxy.route.upstream;

import dev.tpp.config.UpstreamConfig;
import dev.tpp.config.UpstreamConfig.HostPort;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.PromiseNotifier;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A named group of origin endpoints and the keepalive connections to them. New connections go to the endpoints in
 * turn (round-robin), the next one when a connect fails (each endpoint at most once per request); idle ones are kept per event loop, at most {@code keepaliveConnections} on each (0 = a new
 * connection per request), so a request only ever uses connections of its own client's loop. Built off the event
 * loops (it resolves the endpoint names once, like nginx without a {@code resolver}); {@link #acquire} runs on the
 * client's loop; {@link #close()} from any thread. Counts {@code tpp_upstream_requests_total{upstream, outcome}}.
 */
public final class Upstream implements AutoCloseable {
  private final UpstreamConfig config;
  private final List<InetSocketAddress> addresses;
  private final AtomicInteger next = new AtomicInteger();
  private final Map<EventLoop, UpstreamConnectionPool> pools = new ConcurrentHashMap<>();
  private final Map<UpstreamOutcome, Counter> outcomes = new EnumMap<>(UpstreamOutcome.class);
  private volatile boolean closed;

  public Upstream(UpstreamConfig config, MeterRegistry registry) {
    if (config.endpoints().isEmpty()) {
      throw new IllegalArgumentException("endpoints: [] (expected: at least one host:port)");
    }
    this.config = config;
    this.addresses = config.endpoints().stream().map(Upstream::resolve).toList();
    for (UpstreamOutcome outcome : UpstreamOutcome.values()) {
      outcomes.put(outcome, Counter.builder("tpp.upstream.requests")
          .description("Requests proxied to an upstream, by how they ended")
          .tag("upstream", config.name())
          .tag("outcome", outcome.label())
          .register(registry));
    }
  }

  private static InetSocketAddress resolve(HostPort endpoint) {
    // An unresolvable name stays unresolved: connecting to it fails (502) instead of looking it up on a loop.
    return new InetSocketAddress(endpoint.host(), endpoint.port());
  }

  public String name() {
    return config.name();
  }

  public UpstreamConfig config() {
    return config;
  }

  /**
   * A connection for a request of {@code client}, on the client's loop: an idle pooled one if any (unless {@code
   * fresh}), else a new one to the next endpoint. Called on that loop; the future completes there.
   */
  Future<UpstreamConnection> acquire(Channel client, boolean fresh) {
    EventLoop loop = client.eventLoop();
    UpstreamConnectionPool pool = pools.get(loop); // lock-free in the steady state; a bin lock once per loop
    if (pool == null) {
      pool = pools.computeIfAbsent(loop, l -> new UpstreamConnectionPool(l,
          UpstreamBootstrap.forLoop(l, client, config.connectTimeout()), config.keepaliveConnections()));
    }
    if (closed) {
      pool.close(); // raced with close(): this loop's pool may have been created after it ran
    }
    UpstreamConnection idle = fresh ? null : pool.poll();
    if (idle != null) {
      return loop.newSucceededFuture(idle);
    }
    return connect(pool, addresses.size());
  }

  /** Connects to the next endpoint; on failure tries the following ones, each once (nginx proxy_next_upstream). */
  private Future<UpstreamConnection> connect(UpstreamConnectionPool pool, int tries) {
    InetSocketAddress address = addresses.get(Math.floorMod(next.getAndIncrement(), addresses.size()));
    Future<UpstreamConnection> attempt = pool.connect(address);
    if (tries <= 1) {
      return attempt;
    }
    Promise<UpstreamConnection> result = pool.loop().newPromise();
    attempt.addListener((Future<UpstreamConnection> f) -> {
      if (f.isSuccess()) {
        result.setSuccess(f.getNow());
      } else {
        connect(pool, tries - 1).addListener(new PromiseNotifier<>(result));
      }
    });
    return result;
  }

  @Override
  public String toString() {
    return "upstream " + config.name() + " " + config.endpoints();
  }

  void count(UpstreamOutcome outcome) {
    outcomes.get(outcome).increment();
  }

  /** The idle connections on {@code loop}, a copy; for tests and diagnostics, on that loop. */
  List<Channel> idleChannels(EventLoop loop) {
    UpstreamConnectionPool pool = pools.get(loop);
    return pool == null ? List.of() : pool.idleChannels();
  }

  /**
   * No config uses this upstream any more: closes the idle connections, each on its own loop. Requests in flight
   * finish; their connections are closed instead of pooled. Any thread; idempotent; never throws.
   */
  @Override
  public void close() {
    closed = true;
    for (UpstreamConnectionPool pool : pools.values()) {
      pool.loop().execute(pool::close);
    }
  }
}
