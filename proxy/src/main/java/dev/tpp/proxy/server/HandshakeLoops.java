package dev.tpp.proxy.server;

import dev.tpp.config.PoolConfig.Priority;
import dev.tpp.proxy.pool.ThreadPriority;
import dev.tpp.proxy.transport.Transport;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.SucceededFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event loops that run TLS handshakes ({@code tpp-handshake-N}), one beside each worker loop of
 * a generation: a new connection of a TLS listener whose key pool has threads is registered on the
 * handshake loop of the worker chosen for it, does its whole handshake there (ClientHello, key
 * exchange, certificate, Finished; the signature in the pool), and is then moved to that worker
 * ({@link dev.tpp.proxy.tls.TlsHandoff}). A storm of new connections then costs the worker loops
 * almost nothing, and established connections keep their latency.
 *
 * <p>Started at the first connection that needs them, at the priority of that connection's key pool
 * ({@code priority: low}: {@code SCHED_IDLE}, so a worker loop that wakes up preempts a handshake
 * at once); the priority is fixed for the life of this worker generation. Stopped with the workers.
 * Any thread.
 */
final class HandshakeLoops {
  private static final Logger log = LoggerFactory.getLogger("tpp.tls");

  private final int size;
  private final Transport transport;
  private volatile @Nullable List<EventLoop> loops;
  private @Nullable MultiThreadIoEventLoopGroup group; // guarded by this
  private boolean stopped; // guarded by this

  HandshakeLoops(int size, Transport transport) {
    this.size = size;
    this.transport = transport;
  }

  /**
   * Handshake loop {@code index} (the worker loop's index), started now if need be; null once
   * stopped (the generation retired: its worker loop handshakes the odd late connection itself).
   */
  @Nullable EventLoop loop(int index, Priority priority) {
    List<EventLoop> started = loops;
    if (started == null) {
      started = start(priority);
    }
    return started.isEmpty() ? null : started.get(index % started.size());
  }

  private synchronized List<EventLoop> start(Priority priority) {
    if (stopped) {
      return List.of();
    }
    List<EventLoop> current = loops;
    if (current == null) {
      ThreadFactory named = new DefaultThreadFactory("tpp-handshake", true);
      ThreadFactory prioritized =
          task ->
              named.newThread(
                  () -> {
                    ThreadPriority.applyToCurrentThread("tls", priority);
                    task.run();
                  });
      MultiThreadIoEventLoopGroup started =
          new MultiThreadIoEventLoopGroup(size, prioritized, transport.ioHandlerFactory());
      group = started;
      List<EventLoop> all = new ArrayList<>();
      for (EventExecutor e : started) {
        all.add((EventLoop) e);
      }
      current = List.copyOf(all);
      loops = current;
      log.info("event=handshake_loops_started loops={} priority={}", size, priority.yamlName());
    }
    return current;
  }

  /** The loops started so far (none before the first TLS connection that needed them). */
  List<EventLoop> started() {
    List<EventLoop> started = loops;
    return started == null ? List.of() : started;
  }

  synchronized Future<?> shutdownGracefully(long quietMs, long timeoutMs) {
    stopped = true;
    MultiThreadIoEventLoopGroup started = group;
    if (started == null) {
      return new SucceededFuture<>(ImmediateEventExecutor.INSTANCE, null);
    }
    return started.shutdownGracefully(quietMs, timeoutMs, TimeUnit.MILLISECONDS);
  }
}
