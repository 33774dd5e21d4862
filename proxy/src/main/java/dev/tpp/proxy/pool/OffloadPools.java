package dev.tpp.proxy.pool;

import dev.tpp.config.PoolConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's pools by name. {@link #apply} brings them to a new config: a thread-count change
 * resizes the running pool in place; a queue or overflow change swaps in a new pool while the old
 * one drains; a removed pool drains and stops. Called from the thread that loads configs (start-up,
 * reload), never from an event loop.
 */
public final class OffloadPools {
  private static final Logger log = LoggerFactory.getLogger("tpp.pool");

  private final PoolMetrics.Factory metrics;
  private volatile Map<String, OffloadPool> pools = Map.of();

  public OffloadPools(PoolMetrics.Factory metrics) {
    this.metrics = metrics;
  }

  /**
   * The pool named {@code name}, which the config in force declares (the validator checks every
   * pool a route or the WAF names); null only for a name no config declared.
   */
  public @Nullable OffloadPool get(String name) {
    return pools.get(name);
  }

  /**
   * Brings the pools to {@code configs}; returns the pools it replaced or removed (the caller
   * drains them).
   */
  public synchronized List<OffloadPool> apply(List<PoolConfig> configs) {
    Map<String, OffloadPool> next = new LinkedHashMap<>();
    List<OffloadPool> retired = new ArrayList<>();
    for (PoolConfig c : configs) {
      OffloadPool current = pools.get(c.name());
      if (current != null && current.resizableTo(c)) {
        if (current.threads() != c.threads()) {
          current.resize(c.threads());
          log.info("event=pool_resized pool={} threads={}", c.name(), c.threads());
        }
        next.put(c.name(), current);
      } else {
        if (current != null) {
          retired.add(current);
        }
        OffloadPool pool = new OffloadPool(c, metrics);
        next.put(c.name(), pool);
        log.info(
            "event=pool_started pool={} threads={} maxQueue={} overflow={} priority={}",
            c.name(),
            c.threads(),
            c.maxQueue(),
            c.overflow().yamlName(),
            pool.priority().yamlName());
      }
    }
    pools.forEach(
        (name, pool) -> {
          if (!next.containsKey(name)) {
            retired.add(pool);
          }
        });
    pools = Map.copyOf(next);
    return retired;
  }

  /**
   * Drains {@code retired} pools in the background: queued tasks still run, then the threads stop.
   */
  public static void retire(List<OffloadPool> retired, long timeoutMs) {
    for (OffloadPool pool : retired) {
      Thread t =
          new Thread(
              () -> {
                try {
                  boolean clean = pool.drain(timeoutMs, TimeUnit.MILLISECONDS);
                  log.info("event=pool_retired pool={} drained={}", pool.name(), clean);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } finally {
                  pool.shutdownNow();
                }
              },
              "tpp-pool-retire-" + pool.name());
      t.setDaemon(true);
      t.start();
    }
  }

  /** Stops every pool, waiting up to {@code timeoutMs} for queued tasks. */
  public synchronized void shutdown(long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    for (OffloadPool pool : pools.values()) {
      pool.drain(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      pool.shutdownNow();
    }
  }
}
