package dev.tpp.proxy.route.upstream;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One origin address of an {@link Upstream}: its keepalive pools (one per event loop, so a request
 * only uses connections of its own client's loop), its requests in flight (what {@code
 * leastRequest} compares), and its passive-health state, which {@link OutlierDetector} changes.
 * Shared by every loop: counters are atomic, flags volatile, and each pool is touched only on its
 * own loop. Never locks.
 */
final class UpstreamEndpoint {
  private final InetSocketAddress address;
  private final int keepalive;
  private final Duration connectTimeout;
  private final Consumer<UpstreamEndpoint> drained;
  private final Map<EventLoop, UpstreamConnectionPool> pools = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger consecutiveErrors = new AtomicInteger();

  /** Written by {@link OutlierDetector} only, after winning the {@code ejected} transition. */
  volatile int ejections;

  volatile long returnedAtNanos;
  volatile long ejectionId;
  private final AtomicBoolean ejected = new AtomicBoolean();
  private volatile boolean removed;

  /** {@code drained} hears, on some loop, that a removed endpoint's last request finished. */
  UpstreamEndpoint(
      InetSocketAddress address,
      int keepalive,
      Duration connectTimeout,
      Consumer<UpstreamEndpoint> drained) {
    this.address = address;
    this.keepalive = keepalive;
    this.connectTimeout = connectTimeout;
    this.drained = drained;
  }

  InetSocketAddress address() {
    return address;
  }

  int inFlight() {
    return inFlight.get();
  }

  boolean ejected() {
    return ejected.get();
  }

  /** True for the one caller that ejected it; false when it already was. */
  boolean eject() {
    return ejected.compareAndSet(false, true);
  }

  /** True for the one caller that brought it back; false when it was not ejected. */
  boolean unEject() {
    return ejected.compareAndSet(true, false);
  }

  boolean removed() {
    return removed;
  }

  /** A request chose this endpoint; {@link #finished()} follows exactly once. */
  void started() {
    inFlight.incrementAndGet();
  }

  void finished() {
    if (inFlight.decrementAndGet() == 0 && removed) {
      drained.accept(this);
    }
  }

  /** This loop's pool, made on first use. On {@code client}'s loop. */
  UpstreamConnectionPool pool(Channel client) {
    EventLoop loop = client.eventLoop();
    UpstreamConnectionPool pool =
        pools.get(loop); // lock-free in the steady state; a bin lock once per loop
    if (pool == null) {
      pool =
          pools.computeIfAbsent(
              loop,
              l ->
                  new UpstreamConnectionPool(
                      this, l, UpstreamBootstrap.forLoop(l, client, connectTimeout), keepalive));
    }
    if (removed) {
      pool.close(); // raced with remove(): this loop's pool may have been made after it ran
    }
    return pool;
  }

  /**
   * The endpoint left the set (or its upstream was closed): idle connections close now, each on its
   * own loop; busy ones close when their response is done. Any thread; idempotent.
   */
  void remove() {
    removed = true;
    for (UpstreamConnectionPool pool : pools.values()) {
      if (pool.loop().isShuttingDown()) {
        continue; // the loop is stopping and closes its channels itself
      }
      try {
        pool.loop().execute(pool::close);
      } catch (RejectedExecutionException stoppedMeanwhile) {
        // nothing left to close on a terminated loop
      }
    }
  }

  /** The idle connections on {@code loop}, a copy; on that loop. */
  List<Channel> idleChannels(EventLoop loop) {
    UpstreamConnectionPool pool = pools.get(loop);
    return pool == null ? List.of() : new ArrayList<>(pool.idleChannels());
  }

  @Override
  public String toString() {
    String host =
        address.getAddress() == null
            ? address.getHostString()
            : address.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
