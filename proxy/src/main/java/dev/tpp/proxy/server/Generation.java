package dev.tpp.proxy.server;

import dev.tpp.config.ProxyConfig;
import dev.tpp.proxy.route.Router;
import io.netty.util.concurrent.EventExecutor;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Everything one config produces that requests read: routes with their handlers (the WAF in front
 * of those that have it). Built off the event loops, then published with one volatile write; a
 * request reads it once when its head arrives, so it sees either the old or the new config, never a
 * mix.
 *
 * <p>Each exchange holds a reference from its head to its end, counted on its own event loop
 * ({@link #tryAcquire} and {@link LoopReferences.Count#release} on the loop, no shared atomic).
 * When the server {@link #retire retires} the generation and every loop's last exchange on it has
 * ended, the action given to {@code retire} runs once — on the thread that answered last (a loop,
 * or the retiring thread), so it must only hand work off (close handlers, schedule pool
 * retirement).
 */
public final class Generation {
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final ProxyConfig config;
  private final String hash;
  private final Instant loadedAt;
  private final Router router;
  private final long seq = SEQUENCE.incrementAndGet();
  private final LoopReferences references = new LoopReferences();

  public Generation(ProxyConfig config, String hash, Instant loadedAt, Router router) {
    this.config = config;
    this.hash = hash;
    this.loadedAt = loadedAt;
    this.router = router;
  }

  public ProxyConfig config() {
    return config;
  }

  public String hash() {
    return hash;
  }

  public Instant loadedAt() {
    return loadedAt;
  }

  public Router router() {
    return router;
  }

  /** Publication order: a later generation has a larger number. */
  long seq() {
    return seq;
  }

  /**
   * On {@code loop}: takes a reference for one exchange there, released through the count returned;
   * null when this generation is retired on that loop (read the current one).
   */
  LoopReferences.@Nullable Count tryAcquire(EventExecutor loop) {
    return references.tryAcquire(loop);
  }

  /**
   * The server no longer publishes this generation (call after publishing its successor): {@code
   * whenUnused} runs once its last exchange on every loop has ended.
   */
  void retire(Runnable whenUnused) {
    references.retire(whenUnused);
  }
}
