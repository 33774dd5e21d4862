package dev.tpp.proxy.server;

import dev.tpp.config.ProxyConfig;
import dev.tpp.proxy.route.Router;
import dev.tpp.proxy.waf.WafGate;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything one config produces that requests read: routes with their handlers and the WAF. Built
 * off the event loops, then published with one volatile write; a request reads it once when its
 * head arrives, so it sees either the old or the new config, never a mix.
 *
 * <p>Reference counted: the server holds one reference while the generation is in force, and each
 * exchange holds one from its head to its end ({@link #tryAcquire} on the loop, {@link #release} on
 * the loop). When the server {@link #retire retires} it and the last exchange ends, the action
 * given to {@code retire} runs once — on the thread that dropped the last reference, so it must
 * only hand work off (close handlers, schedule pool retirement).
 */
public final class Generation {
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final ProxyConfig config;
  private final String hash;
  private final Instant loadedAt;
  private final Router router;
  private final WafGate waf;
  private final long seq = SEQUENCE.incrementAndGet();
  private final AtomicInteger refs = new AtomicInteger(1);
  private volatile Runnable onReleased = () -> {};

  /**
   * @param waf null when the WAF is disabled
   */
  public Generation(ProxyConfig config, String hash, Instant loadedAt, Router router, WafGate waf) {
    this.config = config;
    this.hash = hash;
    this.loadedAt = loadedAt;
    this.router = router;
    this.waf = waf;
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

  /** The WAF gate, or null when the WAF is disabled. */
  public WafGate waf() {
    return waf;
  }

  /** Publication order: a later generation has a larger number. */
  long seq() {
    return seq;
  }

  /**
   * Takes a reference for one exchange; false when this generation was already released (read the
   * current one).
   */
  boolean tryAcquire() {
    for (int n = refs.get(); n > 0; n = refs.get()) {
      if (refs.compareAndSet(n, n + 1)) {
        return true;
      }
    }
    return false;
  }

  /** Drops one reference; the last one runs the retirement action. */
  void release() {
    int left = refs.decrementAndGet();
    if (left == 0) {
      onReleased.run();
    } else if (left < 0) {
      throw new IllegalStateException("generation " + seq + " released more often than acquired");
    }
  }

  /**
   * The server no longer publishes this generation: {@code whenUnused} runs once its last exchange
   * has ended.
   */
  void retire(Runnable whenUnused) {
    onReleased = whenUnused;
    release();
  }

  /** Exchanges still holding this generation (plus one while it is in force). */
  int references() {
    return refs.get();
  }
}
