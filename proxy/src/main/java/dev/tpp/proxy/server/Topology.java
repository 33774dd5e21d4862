package dev.tpp.proxy.server;

import dev.tpp.config.ListenerConfig;
import dev.tpp.config.ProxyConfig;
import dev.tpp.proxy.metrics.ProxyMetrics;
import dev.tpp.proxy.transport.Transport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where connections land: the worker generation in force and the listening sockets of every
 * listener that feed it. A reload that changes {@code workers}, {@code accept} or a listener's
 * address first {@link #prepare prepares} a {@link Change} beside what runs (new loops started,
 * sockets re-homed or bound), then either {@link Change#commit commits} it once the new config is
 * published (sockets of moved or removed listeners closed, old workers drained and stopped) or
 * {@link Change#undo undoes} it. A listener's other settings (TLS, redirect) are read per
 * connection from the generation in force, so they change without touching its sockets. Called on
 * the control thread, under the server's reload lock; {@link #workers} may be read anywhere.
 */
final class Topology {
  private static final Logger log = LoggerFactory.getLogger("tpp.server");

  private final Transport transport;
  private final ProxyMetrics metrics;
  private final ProxyChannelInitializer.Factory initializers;
  private final Retirements retirements;
  private volatile @Nullable Workers workers;
  private volatile Map<String, Listeners> listeners = Map.of();

  Topology(
      Transport transport,
      ProxyMetrics metrics,
      ProxyChannelInitializer.Factory initializers,
      Retirements retirements) {
    this.transport = transport;
    this.metrics = metrics;
    this.initializers = initializers;
    this.retirements = retirements;
  }

  void start(ProxyConfig config) throws InterruptedException {
    workers = new Workers(config.workers(), transport, metrics);
    Map<String, Listeners> bound = new LinkedHashMap<>();
    try {
      for (ListenerConfig l : config.allListeners()) {
        Listeners sockets = new Listeners(l.name(), l.endpoint(), transport, initializers);
        bound.put(l.name(), sockets);
        sockets.place(workers, config.accept().reusePort());
      }
    } finally {
      listeners = bound; // what bound is closed by close(), also when a later listener failed
    }
  }

  /** Starts what {@code config} needs beside what runs; on failure undoes it and throws. */
  Change prepare(ProxyConfig old, ProxyConfig config) throws InterruptedException {
    boolean newWorkers = old.workers() != config.workers();
    boolean rehome = newWorkers || !old.accept().equals(config.accept());
    Change change =
        new Change(
            old,
            config,
            newWorkers ? new Workers(config.workers(), transport, metrics) : workers());
    try {
      for (ListenerConfig l : config.allListeners()) {
        Listeners current = listeners.get(l.name());
        if (current != null && current.endpoint().equals(l.endpoint())) {
          change.next.put(l.name(), current);
          if (rehome) {
            change.rehomed.add(current);
            current.place(change.nextWorkers, config.accept().reusePort());
          }
        } else {
          Listeners fresh = new Listeners(l.name(), l.endpoint(), transport, initializers);
          change.next.put(l.name(), fresh);
          change.fresh.add(fresh);
          fresh.place(change.nextWorkers, config.accept().reusePort());
        }
      }
      return change;
    } catch (InterruptedException | RuntimeException e) {
      change.undo();
      throw e;
    }
  }

  /**
   * A prepared hand-over: the next workers already receive connections; nothing else was replaced
   * yet.
   */
  final class Change {
    private final ProxyConfig old;
    private final ProxyConfig config;
    private final Workers nextWorkers;
    private final Map<String, Listeners> next = new LinkedHashMap<>();
    private final List<Listeners> fresh = new ArrayList<>();
    private final List<Listeners> rehomed = new ArrayList<>();

    private Change(ProxyConfig old, ProxyConfig config, Workers nextWorkers) {
      this.old = old;
      this.config = config;
      this.nextWorkers = nextWorkers;
    }

    /**
     * The new config is published: release the sockets of moved or removed listeners, and the old
     * workers.
     */
    void commit() {
      for (Listeners l : listeners.values()) {
        if (next.get(l.name()) != l) {
          l.close(); // connections still queued on the old port are reset: clients were moved to
          // another port
        }
      }
      listeners = Map.copyOf(next);
      if (nextWorkers != workers) {
        Workers replaced = workers();
        workers = nextWorkers;
        retire(replaced, config.shutdownTimeout().toMillis());
      }
    }

    /**
     * The reload failed: sockets back to the workers in force, the unpublished worker generation
     * stopped.
     */
    void undo() {
      fresh.forEach(Listeners::close);
      for (Listeners l : rehomed) {
        try {
          l.place(workers(), old.accept().reusePort());
        } catch (InterruptedException | RuntimeException e) {
          log.error("event=reload_undo_failed listener={} error=\"{}\"", l.name(), e.toString());
        }
      }
      if (nextWorkers != workers) {
        retire(nextWorkers, 1000);
      }
    }
  }

  private void retire(Workers old, long timeoutMs) {
    List<Listeners> current = List.copyOf(listeners.values());
    retirements.retire(
        old,
        timeoutMs,
        () -> current.forEach(Listeners::awaitAcceptsInFlight),
        this::dropRetiredWorkerMetrics);
  }

  /**
   * Worker labels at or above the current count disappear once no retiring generation uses them.
   */
  private synchronized void dropRetiredWorkerMetrics() {
    metrics.retainWorkers(workers == null ? 0 : workers.size());
  }

  Workers workers() {
    return Objects.requireNonNull(workers, "workers: start() sets them");
  }

  /** The bound port of the main listener ({@code listen:}). */
  int port() {
    return port(ListenerConfig.MAIN);
  }

  /** The bound port of the listener named {@code name}, or -1. */
  int port(String name) {
    Listeners l = listeners.get(name);
    return l == null ? -1 : l.port();
  }

  /**
   * Stops accepting (SIGTERM's drain): closes the listening sockets; accepted connections go on.
   */
  void stopAccepting() {
    listeners.values().forEach(Listeners::close);
  }

  void close() throws InterruptedException {
    stopAccepting();
    if (workers != null) {
      workers.shutdownGracefully(0, 2000).await(3, TimeUnit.SECONDS);
    }
  }
}
