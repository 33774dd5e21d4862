package dev.tpp.proxy.route.upstream;

import dev.tpp.config.EndpointsFile;
import dev.tpp.config.UpstreamConfig;
import dev.tpp.config.UpstreamConfig.HostPort;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.PromiseNotifier;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named group of origin endpoints, balanced by a {@link Balancer}, each with its own keepalive
 * pools per event loop ({@link UpstreamEndpoint}); a failed connect tries another endpoint (each at
 * most once per request). Built off the event loops: it resolves the endpoint names there, then
 * again every {@code resolveEvery} on the {@link UpstreamScheduler} thread. {@link #acquire} runs
 * on the client's loop; {@link #update} on the resolver or the endpoints-file thread; {@link
 * #close()} on any thread. Counts {@code tpp_upstream_requests_total{upstream, outcome}} and {@code
 * tpp_upstream_ejections_total{upstream}}; publishes {@code tpp_upstream_endpoints}.
 */
public final class Upstream implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("tpp.upstream");
  private final UpstreamConfig config;
  private final MeterRegistry registry;
  private final Balancer balancer;
  private final OutlierDetector outliers;
  private final EndpointResolver resolver;
  private final Map<UpstreamOutcome, Counter> outcomes = new EnumMap<>(UpstreamOutcome.class);
  private final Set<UpstreamEndpoint> draining = ConcurrentHashMap.newKeySet();
  private final @Nullable ScheduledFuture<?> refresh;
  private final EndpointDirectory directory;
  private volatile EndpointSet endpoints = EndpointSet.EMPTY;
  private volatile boolean closed;

  /**
   * True while the endpoints file names this upstream: its set comes from there, DNS is not asked.
   */
  private boolean overridden;

  /** An upstream that no endpoints file ever overrides (tests, embedders). */
  public Upstream(UpstreamConfig config, MeterRegistry registry) {
    this(config, registry, new EndpointDirectory());
  }

  /** An upstream whose set {@code directory} replaces while its endpoints file names it. */
  public Upstream(UpstreamConfig config, MeterRegistry registry, EndpointDirectory directory) {
    if (config.endpoints().isEmpty()) {
      throw new IllegalArgumentException("endpoints: [] (expected: at least one host:port)");
    }
    this.config = config;
    this.registry = registry;
    this.balancer = new Balancer(config.loadBalancing());
    Counter ejections =
        Counter.builder("tpp.upstream.ejections")
            .description("Endpoints ejected by outlier detection")
            .tag("upstream", config.name())
            .register(registry);
    this.outliers =
        new OutlierDetector(
            config.name(), config.outlierDetection(), () -> endpoints, ejections, System::nanoTime);
    for (UpstreamOutcome outcome : UpstreamOutcome.values()) {
      outcomes.put(
          outcome,
          Counter.builder("tpp.upstream.requests")
              .description("Requests proxied to an upstream, by how they ended")
              .tag("upstream", config.name())
              .tag("outcome", outcome.label())
              .register(registry));
    }
    this.resolver = new EndpointResolver(config.name(), config.endpoints());
    this.directory = directory;
    directory.subscribe(
        this); // first: when the endpoints file names this upstream, its names are never looked up
    synchronized (this) {
      if (!overridden) {
        update(resolver.resolve());
      }
    }
    Duration every = config.resolveEvery();
    this.refresh =
        every.isZero() || !resolver.hasNames()
            ? null
            : UpstreamScheduler.every(every, this::refresh);
    EndpointGauges.publish(registry, this);
  }

  private void refresh() {
    List<InetSocketAddress> addresses = resolver.resolve(); // outside the lock: DNS may be slow
    synchronized (this) {
      if (!overridden) {
        update(addresses);
      }
    }
  }

  /**
   * Applies the endpoints file: the set it names for this upstream, else (no file, or not named)
   * the configured endpoints again. On the endpoints watcher thread or the builder's; resolves
   * names in the file, so never on a loop.
   */
  synchronized void overrideFrom(@Nullable EndpointsFile file) {
    List<HostPort> named = file == null ? null : file.upstreams().get(config.name());
    if (named == null && !overridden) {
      return; // nothing to change: the configured endpoints are in force
    }
    if (overridden != (named != null)) {
      log.info(
          "event=upstream_endpoints_source upstream={} source={}",
          config.name(),
          named != null ? EndpointsFile.FILE_NAME : "config");
    }
    overridden = named != null;
    update(
        named != null ? new EndpointResolver(config.name(), named).resolve() : resolver.resolve());
  }

  public String name() {
    return config.name();
  }

  public UpstreamConfig config() {
    return config;
  }

  /**
   * A connection for a request of {@code client} with {@code hashKey} (null: none), on the client's
   * loop: an idle one of the chosen endpoint if any (unless {@code fresh}), else a new one. Fails
   * with {@link NoEndpointsException} when the set is empty. The connection counts as in flight on
   * its endpoint until it is recycled or closed. Called on that loop; the future completes there.
   */
  Future<UpstreamConnection> acquire(Channel client, boolean fresh, @Nullable String hashKey) {
    EndpointSet set = endpoints;
    if (set.size() == 0) {
      return client.eventLoop().newFailedFuture(new NoEndpointsException(config.name()));
    }
    return connect(client, set, hashKey, fresh, List.of()); // a list only once one failed
  }

  private Future<UpstreamConnection> connect(
      Channel client,
      EndpointSet set,
      @Nullable String hashKey,
      boolean fresh,
      List<UpstreamEndpoint> tried) {
    UpstreamEndpoint e =
        Objects.requireNonNull(
            balancer.pick(set, hashKey, tried), "pick: null only for an empty set, refused above");
    e.started();
    UpstreamConnectionPool pool = e.pool(client);
    UpstreamConnection idle = fresh ? null : pool.poll();
    if (idle != null) {
      idle.lease();
      return client.eventLoop().newSucceededFuture(idle);
    }
    Promise<UpstreamConnection> result = client.eventLoop().newPromise();
    pool.connect()
        .addListener(
            (Future<UpstreamConnection> f) -> {
              if (f.isSuccess()) {
                f.getNow().lease();
                result.setSuccess(f.getNow());
                return;
              }
              e.finished();
              outliers.error(e, "connect_error", timer(client.eventLoop()));
              List<UpstreamEndpoint> failed = new ArrayList<>(tried);
              failed.add(e);
              if (failed.size() >= set.size()) {
                result.setFailure(f.cause());
              } else {
                connect(client, set, hashKey, fresh, failed)
                    .addListener(new PromiseNotifier<>(result));
              }
            });
    return result;
  }

  /**
   * The hash key of {@code request} under {@code hashOn}, or null (also when balancing is not by
   * hash).
   */
  @Nullable String hashKey(HttpRequest request) {
    return HashKeys.of(config.hashOn(), request.headers());
  }

  /** A response head with {@code status} came from {@code e}; on its loop. */
  void responded(UpstreamEndpoint e, int status, EventLoop loop) {
    if (status >= 500) {
      outliers.error(e, "status_" + status, timer(loop));
    } else {
      outliers.success(e);
    }
  }

  /** The exchange with {@code e} failed (timeout, reset); on its loop. */
  void failed(UpstreamEndpoint e, UpstreamOutcome outcome, EventLoop loop) {
    outliers.error(e, outcome.label(), timer(loop));
  }

  private static OutlierDetector.Timer timer(EventLoop loop) {
    return (task, delay) -> loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  void count(UpstreamOutcome outcome) {
    Objects.requireNonNull(outcomes.get(outcome), "a counter per outcome").increment();
  }

  /**
   * Makes {@code addresses} the endpoint set: known ones keep their pools and health, new ones
   * start healthy, the others leave (idle connections closed now, busy ones after their response).
   * Off the loops; logs one line when the set changed.
   */
  synchronized void update(List<InetSocketAddress> addresses) {
    EndpointChange change =
        EndpointChange.between(
            endpoints.all(),
            addresses,
            a ->
                new UpstreamEndpoint(
                    a, config.keepaliveConnections(), config.connectTimeout(), this::drained));
    if (closed || !change.changed()) {
      return;
    }
    endpoints =
        EndpointSet.of(change.next(), config.loadBalancing() == UpstreamConfig.LoadBalancing.HASH);
    for (UpstreamEndpoint gone : change.removed()) {
      leave(gone);
    }
    change.log(config.name());
  }

  private void leave(UpstreamEndpoint gone) {
    gone.remove();
    outliers.removed(gone);
    if (gone.inFlight() > 0) {
      draining.add(gone);
      if (gone.inFlight() == 0) {
        draining.remove(gone); // its last request ended between the two reads
      }
    }
  }

  private void drained(UpstreamEndpoint e) {
    draining.remove(e);
  }

  /** Endpoints in {@code state} (healthy, ejected, draining), for the gauges; any thread. */
  int endpointCount(String state) {
    EndpointSet set = endpoints;
    return switch (state) {
      case "healthy" -> set.healthy();
      case "ejected" -> set.size() - set.healthy();
      default -> draining.size();
    };
  }

  /** The endpoints now, for tests and diagnostics. */
  List<UpstreamEndpoint> endpoints() {
    return endpoints.all();
  }

  @Override
  public String toString() {
    return "upstream " + config.name() + " " + config.endpoints();
  }

  /** The idle connections on {@code loop}, a copy; for tests and diagnostics, on that loop. */
  List<Channel> idleChannels(EventLoop loop) {
    List<Channel> idle = new ArrayList<>();
    endpoints.all().forEach(e -> idle.addAll(e.idleChannels(loop)));
    return idle;
  }

  /**
   * No config uses this upstream any more: closes the idle connections, each on its own loop, and
   * stops resolving. Requests in flight finish; their connections are closed instead of pooled. Any
   * thread; idempotent; never throws.
   */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    if (refresh != null) {
      refresh.cancel(false);
    }
    directory.unsubscribe(this);
    endpoints.all().forEach(UpstreamEndpoint::remove);
    EndpointGauges.withdraw(registry, this);
  }
}
