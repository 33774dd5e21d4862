package dev.tpp.config;

/**
 * A named offload pool (nginx {@code thread_pool}). {@code threads = 0} runs every task on the event loop (the
 * "direct" mode, kept for comparison); {@code maxQueue} bounds the waiting tasks; {@code overflow} says what happens
 * when the queue is full.
 */
public record PoolConfig(String name, int threads, int maxQueue, Overflow overflow) {

  /** What a full pool does with one more task. */
  public enum Overflow {
    /** Answer 503 with Retry-After, counted as rejected. */
    REJECT,
    /** Run the task on the event loop, counted as inlined (Cloudflare's WAF fallback). */
    INLINE;

    public String yamlName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
