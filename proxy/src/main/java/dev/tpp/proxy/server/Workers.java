package dev.tpp.proxy.server;

import dev.tpp.config.PoolConfig.Priority;
import dev.tpp.proxy.metrics.LoopMonitor;
import dev.tpp.proxy.metrics.ProxyMetrics;
import dev.tpp.proxy.metrics.WorkerMetrics;
import dev.tpp.proxy.transport.Transport;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One generation of worker event loops ({@code tpp-worker-N}, nginx's worker processes inside one
 * JVM), each wrapped by a {@link LoopMonitor}. A config change of {@code workers} starts a new
 * generation beside this one; this one then {@link #retiring retires}: its connections drain and
 * its loops stop. Loop {@code i} of every generation reports as worker {@code "i"}, so the metric
 * labels stay {@code 0..N-1}. When connections come through the shared acceptor, {@link
 * #nextForAccept} hands each to the worker with the fewest open connections (the measure of load:
 * with keepalive clients a connection is what a worker carries from then on), ties taken in turn.
 * Beside each worker loop, a {@link HandshakeLoops handshake loop} runs the TLS handshakes of the
 * connections that worker will serve; it stops with the generation.
 */
public final class Workers {
  private static final long HEARTBEAT_MS = 100;

  private final MultiThreadIoEventLoopGroup group;
  private final List<EventLoop> loops = new ArrayList<>();
  private final Map<EventExecutor, WorkerMetrics> metricsByLoop = new IdentityHashMap<>();
  private final ChannelGroup channels =
      new DefaultChannelGroup("tpp-worker-connections", GlobalEventExecutor.INSTANCE);
  private final HandshakeLoops handshakes;
  private volatile boolean retiring;
  private int tieBreak; // the acceptor thread's alone

  public Workers(int count, Transport transport, ProxyMetrics metrics) {
    List<WorkerMetrics> byIndex = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byIndex.add(metrics.worker(Integer.toString(i)));
    }
    this.group =
        new WorkerLoopGroup(
            count,
            new ThreadPerTaskExecutor(new DefaultThreadFactory("tpp-worker", false)),
            LoopMonitor.wrap(transport.ioHandlerFactory(), byIndex::get));
    this.handshakes = new HandshakeLoops(count, transport);
    int i = 0;
    for (EventExecutor e : group) {
      loops.add((EventLoop) e);
      metricsByLoop.put(e, byIndex.get(i++));
      // A heartbeat wakes an idle loop now and then, so block time is sampled even when nothing
      // else happens.
      e.scheduleAtFixedRate(() -> {}, HEARTBEAT_MS, HEARTBEAT_MS, TimeUnit.MILLISECONDS);
    }
  }

  public MultiThreadIoEventLoopGroup group() {
    return group;
  }

  public List<EventLoop> loops() {
    return List.copyOf(loops);
  }

  public int size() {
    return loops.size();
  }

  /**
   * The loop that runs the TLS handshakes of connections that {@code serving} will serve, at {@code
   * priority} (the key pool's), or {@code serving} itself once this generation stopped.
   */
  EventLoop handshakeLoop(EventLoop serving, Priority priority) {
    EventLoop loop = handshakes.loop(loops.indexOf(serving), priority);
    return loop == null ? serving : loop;
  }

  /**
   * Worker and handshake loops: a task on each has run once every registration submitted before it
   * has.
   */
  List<EventLoop> allLoops() {
    List<EventLoop> all = new ArrayList<>(loops);
    all.addAll(handshakes.started());
    return all;
  }

  /** True when {@code loop} is one of this generation's loops. */
  boolean owns(EventExecutor loop) {
    return metricsByLoop.containsKey(loop);
  }

  /** The meters of the worker that owns {@code loop}. */
  public WorkerMetrics metricsOf(EventExecutor loop) {
    return Objects.requireNonNull(metricsByLoop.get(loop), "a loop of this generation");
  }

  /** The client connections on this generation's loops (closed ones leave by themselves). */
  ChannelGroup channels() {
    return channels;
  }

  /** True once a newer generation took over: connections that still arrive here drain at once. */
  boolean retiring() {
    return retiring;
  }

  void markRetiring() {
    retiring = true;
  }

  /**
   * The loop with the fewest open connections. Ties go round-robin (the scan starts one loop
   * further each call), so short connections that each close before the next arrives still
   * alternate instead of all landing on loop 0.
   */
  EventLoop leastLoaded() {
    int n = loops.size();
    int start = Math.floorMod(tieBreak++, n);
    EventLoop best = null;
    int bestCount = Integer.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      EventLoop loop = loops.get((start + i) % n);
      int count = metricsOf(loop).activeConnections();
      if (count < bestCount) {
        best = loop;
        bestCount = count;
      }
    }
    return Objects.requireNonNull(best, "best: a generation has at least one loop");
  }

  /**
   * The shared acceptor's choice for a new connection: the least-loaded loop, counted on it at once
   * so a burst of accepts spreads out. Called on the acceptor thread.
   */
  EventLoop nextForAccept() {
    EventLoop chosen = leastLoaded();
    metricsOf(chosen).connectionOpened();
    return chosen;
  }

  /** Stops the worker loops and the handshake loops; the future is the worker loops'. */
  public Future<?> shutdownGracefully(long quietMs, long timeoutMs) {
    handshakes.shutdownGracefully(quietMs, timeoutMs);
    return group.shutdownGracefully(quietMs, timeoutMs, TimeUnit.MILLISECONDS);
  }
}
