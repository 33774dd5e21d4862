package dev.tpp.config;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A named offload pool (nginx {@code thread_pool}). {@code threads = 0} runs every task on the
 * event loop (the "direct" mode, kept for comparison); {@code maxQueue} bounds the waiting tasks;
 * {@code overflow} says what happens when the queue is full; {@code priority} says whether its
 * threads yield the CPU to the event loops ({@code null}: not written, the default for the pool's
 * work, {@link ConfigDefaults#poolPriority}).
 */
public record PoolConfig(
    String name, int threads, int maxQueue, Overflow overflow, @Nullable Priority priority) {

  /** A pool whose priority is not written: the default for its work once loaded. */
  public PoolConfig(String name, int threads, int maxQueue, Overflow overflow) {
    this(name, threads, maxQueue, overflow, null);
  }

  /** What a full pool does with one more task. */
  public enum Overflow {
    /** Answer 503 with Retry-After, counted as rejected. */
    REJECT,
    /** Run the task on the event loop, counted as inlined (Cloudflare's WAF fallback). */
    INLINE;

    public String yamlName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How the pool's threads compete with the event loops for a CPU. */
  public enum Priority {
    /**
     * Runs only when no event loop (or other normal thread) wants the CPU: Linux {@code
     * SCHED_IDLE}.
     */
    LOW,
    /** Time-sliced as an equal of the event loops. */
    NORMAL;

    public String yamlName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** This pool with its priority set ({@code priority} may be null: not written). */
  public PoolConfig withPriority(Priority priority) {
    return new PoolConfig(name, threads, maxQueue, overflow, priority);
  }
}
