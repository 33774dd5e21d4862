package dev.tpp.proxy.pool;

import dev.tpp.proxy.metrics.Buckets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The {@code tpp_pool_*} meters of one pool. Called from event loops and pool threads; Micrometer
 * meters are thread-safe and lock-free on the hot path.
 */
public final class PoolMetrics {
  /** Creates the meters for a pool (or none, in unit tests). */
  public interface Factory {
    PoolMetrics create(OffloadPool pool);
  }

  private final MeterRegistry registry;
  private final ConcurrentMap<String, PoolMetrics> owners;
  private final String name;
  private final List<Meter> meters = new ArrayList<>();
  private final Counter completed;
  private final Counter rejected;
  private final Counter inlined;
  private final Counter failed;
  private final Timer wait;
  private final Timer run;

  private PoolMetrics(
      MeterRegistry registry, OffloadPool pool, ConcurrentMap<String, PoolMetrics> owners) {
    this.registry = registry;
    this.owners = owners;
    String name = pool.name();
    this.name = name;
    // A pool swapped for a new one of the same name: the gauges now follow the new pool.
    registry.find("tpp.pool.threads").tag("pool", name).gauges().forEach(registry::remove);
    registry.find("tpp.pool.active.threads").tag("pool", name).gauges().forEach(registry::remove);
    registry.find("tpp.pool.queue.size").tag("pool", name).gauges().forEach(registry::remove);
    registry.find("tpp.pool.queue.capacity").tag("pool", name).gauges().forEach(registry::remove);
    owners.put(name, this);
    gauge(
        "tpp.pool.threads",
        "Threads of the pool (0: tasks run on the event loop)",
        pool,
        OffloadPool::threads);
    gauge(
        "tpp.pool.active.threads",
        "Pool threads running a task now",
        pool,
        OffloadPool::activeThreads);
    gauge("tpp.pool.queue.size", "Tasks waiting in the pool's queue", pool, OffloadPool::queueSize);
    gauge(
        "tpp.pool.queue.capacity",
        "Tasks the pool's queue holds at most (maxQueue)",
        pool,
        OffloadPool::maxQueue);
    completed = counter(name, "completed");
    rejected = counter(name, "rejected");
    inlined = counter(name, "inlined");
    failed = counter(name, "failed");
    wait = timer("tpp.pool.task.wait", name, "Time a task waited in the pool's queue");
    run = timer("tpp.pool.task.run", name, "Time a task ran");
  }

  /** Meters registered in {@code registry}, one set per pool name. */
  public static Factory factory(MeterRegistry registry) {
    ConcurrentMap<String, PoolMetrics> owners = new ConcurrentHashMap<>();
    return pool -> new PoolMetrics(registry, pool, owners);
  }

  private void gauge(String metric, String help, OffloadPool p, ToDoubleFunction<OffloadPool> f) {
    meters.add(
        Gauge.builder(metric, p, f)
            .tag("pool", name)
            .description(help)
            .strongReference(false)
            .register(registry));
  }

  private Counter counter(String pool, String outcome) {
    Counter c =
        Counter.builder("tpp.pool.tasks")
            .tag("pool", pool)
            .tag("outcome", outcome)
            .description("Offloaded tasks by outcome")
            .register(registry);
    meters.add(c);
    return c;
  }

  private Timer timer(String metric, String pool, String description) {
    Timer t =
        Timer.builder(metric)
            .tag("pool", pool)
            .description(description)
            .serviceLevelObjectives(Buckets.LATENCY)
            .register(registry);
    meters.add(t);
    return t;
  }

  void waited(long nanos) {
    wait.record(nanos, TimeUnit.NANOSECONDS);
  }

  void ran(long nanos, boolean ok) {
    run.record(nanos, TimeUnit.NANOSECONDS);
    (ok ? completed : failed).increment();
  }

  void ranInline(long nanos) {
    run.record(nanos, TimeUnit.NANOSECONDS);
  }

  void rejected() {
    rejected.increment();
  }

  void inlined() {
    inlined.increment();
  }

  /** Removes the gauges (a removed pool stops reporting); counters stay so rates do not reset. */
  void close() {
    if (!owners.remove(name, this)) {
      return; // a newer pool of the same name owns the gauges now
    }
    for (Meter m : meters) {
      if (m instanceof Gauge) {
        registry.remove(m);
      }
    }
  }
}
