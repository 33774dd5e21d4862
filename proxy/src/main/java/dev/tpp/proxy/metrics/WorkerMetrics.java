package dev.tpp.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.Channel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.AttributeKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The per-worker meters: block time, busy time and the balance (connections, requests). {@link
 * #busyStretch} is called by the worker's own loop; connection counts may change from the acceptor
 * thread too, hence the atomics.
 */
public final class WorkerMetrics {
  private static final AttributeKey<WorkerMetrics> WORKER = AttributeKey.valueOf("tpp.worker");
  private final String label;
  private final Timer block;
  private final LongAdder busyNanos = new LongAdder();
  private final AtomicInteger active = new AtomicInteger();
  private final Counter accepted;
  private final Counter rejected;
  private final Counter requests;
  private final List<Meter> meters = new ArrayList<>();

  WorkerMetrics(MeterRegistry registry, String label) {
    this.label = label;
    this.block =
        Timer.builder("tpp.event.loop.block")
            .description("How long work that became ready waited because the event loop was busy")
            .tag("worker", label)
            .serviceLevelObjectives(Buckets.LATENCY)
            .register(registry);
    meters.add(block);
    meters.add(
        FunctionCounter.builder("tpp.event.loop.busy", busyNanos, n -> n.sum() / 1e9)
            .description("Time the event loop spent running tasks and I/O, not waiting")
            .baseUnit("seconds")
            .tag("worker", label)
            .register(registry));
    meters.add(
        Gauge.builder("tpp.connections.active", active, AtomicInteger::get)
            .description("Open client connections on this worker")
            .tag("worker", label)
            .register(registry));
    this.accepted =
        Counter.builder("tpp.connections.accepted")
            .description("Client connections accepted by this worker")
            .tag("worker", label)
            .register(registry);
    meters.add(accepted);
    this.rejected =
        Counter.builder("tpp.connections.rejected")
            .description(
                "Client connections closed at once because this worker held accept.maxConnectionsPerWorker")
            .tag("worker", label)
            .register(registry);
    meters.add(rejected);
    this.requests =
        Counter.builder("tpp.worker.requests")
            .description(
                "Requests this worker served (an HTTP/2 stream counts on its connection's worker)")
            .tag("worker", label)
            .register(registry);
    meters.add(requests);
  }

  /** Makes {@code connection} count its requests on this worker ({@link #requestServed}). */
  public void attach(Channel connection) {
    connection.attr(WORKER).set(this);
  }

  /**
   * The worker whose requests {@code ch} counts, a connection or one of its HTTP/2 streams; null
   * when none was attached. Looked up once per connection or stream, not per request.
   */
  public static @Nullable WorkerMetrics of(Channel ch) {
    Channel connection = ch.parent() instanceof SocketChannel parent ? parent : ch;
    return connection.attr(WORKER).get();
  }

  /** Counts one request served; on the worker's loop. */
  public void requestServed() {
    requests.increment();
  }

  /** Unregisters this worker's meters (its loops have stopped). */
  void remove(MeterRegistry registry) {
    meters.forEach(registry::remove);
  }

  public String label() {
    return label;
  }

  void busyStretch(long nanos) {
    block.record(nanos, TimeUnit.NANOSECONDS);
    busyNanos.add(nanos);
  }

  /** A connection was handed to this worker. */
  public void connectionOpened() {
    active.incrementAndGet();
    accepted.increment();
  }

  /** A connection beyond the worker's limit was closed before it was read. */
  public void connectionRejected() {
    rejected.increment();
  }

  public void connectionClosed() {
    active.decrementAndGet();
  }

  public int activeConnections() {
    return active.get();
  }
}
