package dev.tpp.proxy.server;

import dev.tpp.config.ProxyConfig;
import dev.tpp.proxy.metrics.ProxyMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where connections land: the worker generation in force and the listening sockets that feed it. A reload that
 * changes {@code workers}, {@code accept} or {@code listen} first {@link #prepare prepares} a {@link Change} beside
 * what runs (new loops started, sockets re-homed or bound), then either {@link Change#commit commits} it once the new
 * config is published (old sockets closed if the port moved, old workers drained and stopped) or {@link Change#undo
 * undoes} it. Called on the control thread, under the server's reload lock; {@link #workers} may be read anywhere.
 */
final class Topology {
  private static final Logger log = LoggerFactory.getLogger("tpp.server");

  private final Transport transport;
  private final ProxyMetrics metrics;
  private final ProxyChannelInitializer.Factory initializers;
  private final Retirements retirements;
  private volatile Workers workers;
  private volatile Listeners listeners;

  Topology(Transport transport, ProxyMetrics metrics, ProxyChannelInitializer.Factory initializers,
      Retirements retirements) {
    this.transport = transport;
    this.metrics = metrics;
    this.initializers = initializers;
    this.retirements = retirements;
  }

  void start(ProxyConfig config) throws InterruptedException {
    workers = new Workers(config.workers(), transport, metrics);
    listeners = new Listeners(config.listen(), transport, initializers);
    listeners.place(workers, config.accept().reusePort());
  }

  /** Starts what {@code config} needs beside what runs; on failure undoes it and throws. */
  Change prepare(ProxyConfig old, ProxyConfig config) throws InterruptedException {
    boolean newWorkers = old.workers() != config.workers();
    boolean newEndpoint = !old.listen().equals(config.listen());
    boolean rehome = newWorkers || newEndpoint || !old.accept().equals(config.accept());
    Change change = new Change(old, config,
        newWorkers ? new Workers(config.workers(), transport, metrics) : workers,
        newEndpoint ? new Listeners(config.listen(), transport, initializers) : listeners, rehome);
    try {
      if (rehome) {
        change.nextListeners.place(change.nextWorkers, config.accept().reusePort());
      }
      return change;
    } catch (InterruptedException | RuntimeException e) {
      change.undo();
      throw e;
    }
  }

  /** A prepared hand-over: the next workers already receive connections; nothing else was replaced yet. */
  final class Change {
    private final ProxyConfig old;
    private final ProxyConfig config;
    private final Workers nextWorkers;
    private final Listeners nextListeners;
    private final boolean rehome;

    private Change(ProxyConfig old, ProxyConfig config, Workers nextWorkers, Listeners nextListeners,
        boolean rehome) {
      this.old = old;
      this.config = config;
      this.nextWorkers = nextWorkers;
      this.nextListeners = nextListeners;
      this.rehome = rehome;
    }

    /** The new config is published: release the old sockets (port moved) and the old workers. */
    void commit() {
      if (nextListeners != listeners) {
        listeners.close(); // connections still queued on the old port are reset: clients were moved to another port
        listeners = nextListeners;
      }
      if (nextWorkers != workers) {
        Workers replaced = workers;
        workers = nextWorkers;
        retire(replaced, config.shutdownTimeout().toMillis());
      }
    }

    /** The reload failed: sockets back to the workers in force, the unpublished worker generation stopped. */
    void undo() {
      try {
        if (nextListeners != listeners) {
          nextListeners.close();
        } else if (rehome) {
          listeners.place(workers, old.accept().reusePort());
        }
      } catch (InterruptedException | RuntimeException e) {
        log.error("event=reload_undo_failed error=\"{}\"", e.toString());
      }
      if (nextWorkers != workers) {
        retire(nextWorkers, 1000);
      }
    }
  }

  private void retire(Workers old, long timeoutMs) {
    Listeners current = listeners;
    retirements.retire(old, timeoutMs, current::awaitAcceptsInFlight, this::dropRetiredWorkerMetrics);
  }

  /** Worker labels at or above the current count disappear once no retiring generation uses them. */
  private synchronized void dropRetiredWorkerMetrics() {
    metrics.retainWorkers(workers == null ? 0 : workers.size());
  }

  Workers workers() {
    return workers;
  }

  int port() {
    return listeners.port();
  }

  /** Stops accepting (SIGTERM's drain): closes the listening sockets; accepted connections go on. */
  void stopAccepting() {
    if (listeners != null) {
      listeners.close();
    }
  }

  void close() throws InterruptedException {
    stopAccepting();
    if (workers != null) {
      workers.shutdownGracefully(0, 2000).await(3, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
