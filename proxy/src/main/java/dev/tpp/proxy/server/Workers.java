package dev.tpp.proxy.server;

import dev.tpp.proxy.metrics.LoopMonitor;
import dev.tpp.proxy.metrics.ProxyMetrics;
import dev.tpp.proxy.metrics.WorkerMetrics;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorChooserFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The worker event loops ({@code tpp-worker-N}, nginx's worker processes inside one JVM), each wrapped by a {@link
 * LoopMonitor}. When connections come through one shared acceptor, {@link #next} hands each to the worker with the
 * fewest active connections instead of round-robin.
 */
public final class Workers {
  private static final long HEARTBEAT_MS = 100;

  private final MultiThreadIoEventLoopGroup group;
  private final List<EventLoop> loops = new ArrayList<>();
  private final Map<EventExecutor, WorkerMetrics> metricsByLoop = new IdentityHashMap<>();

  public Workers(int count, Transport transport, ProxyMetrics metrics) {
    List<WorkerMetrics> byIndex = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byIndex.add(metrics.worker(Integer.toString(i)));
    }
    this.group =
        new MultiThreadIoEventLoopGroup(count,
            new ThreadPerTaskExecutor(new DefaultThreadFactory("tpp-worker", false)),
            new LeastLoadedChooserFactory(this),
            LoopMonitor.wrap(transport.ioHandlerFactory(), byIndex::get));
    int i = 0;
    for (EventExecutor e : group) {
      loops.add((EventLoop) e);
      metricsByLoop.put(e, byIndex.get(i++));
      // A heartbeat wakes an idle loop now and then, so block time is sampled even when nothing else happens.
      e.scheduleAtFixedRate(() -> {}, HEARTBEAT_MS, HEARTBEAT_MS, TimeUnit.MILLISECONDS);
    }
  }

  public MultiThreadIoEventLoopGroup group() {
    return group;
  }

  public List<EventLoop> loops() {
    return List.copyOf(loops);
  }

  /** The meters of the worker that owns {@code loop}. */
  public WorkerMetrics metricsOf(EventExecutor loop) {
    return metricsByLoop.get(loop);
  }

  /** The loop with the fewest active connections (ties: the lowest index). */
  EventLoop leastLoaded() {
    EventLoop best = loops.get(0);
    int bestCount = Integer.MAX_VALUE;
    for (EventLoop loop : loops) {
      int n = metricsByLoop.get(loop).activeConnections();
      if (n < bestCount) {
        best = loop;
        bestCount = n;
      }
    }
    return best;
  }

  public Future<?> shutdownGracefully(long quietMs, long timeoutMs) {
    return group.shutdownGracefully(quietMs, timeoutMs, TimeUnit.MILLISECONDS);
  }

  /**
   * Netty asks the chooser for a loop each time the shared acceptor registers a new connection with this group;
   * the connection is counted on the chosen worker at once so a burst of accepts spreads out.
   */
  private static final class LeastLoadedChooserFactory implements EventExecutorChooserFactory {
    private final Workers workers;

    LeastLoadedChooserFactory(Workers workers) {
      this.workers = workers;
    }

    @Override
    public EventExecutorChooser newChooser(EventExecutor[] executors) {
      return () -> {
        if (workers.loops.isEmpty()) {
          return executors[0]; // during construction only
        }
        EventLoop chosen = workers.leastLoaded();
        workers.metricsOf(chosen).connectionOpened();
        return chosen;
      };
    }
  }
}
