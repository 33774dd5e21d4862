package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tpp.config.Limits;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A named offload thread pool ({@code pools[]}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PoolSpec {
  @JsonPropertyDescription(
      "Pool name, referenced by routes[].files.pool, routes[].thumbnail.pool and waf.pool; unique.")
  @Required
  @Size(min = 1, max = 63)
  @Pattern(Limits.NAME)
  public String name;

  @JsonPropertyDescription(
      "Worker threads; 0 = run every task on the event loop (direct mode, for comparison).")
  @Required
  @Min(0)
  @Max(Limits.MAX_THREADS)
  public Integer threads;

  @JsonPropertyDescription("Tasks that may wait beyond the busy threads; 0 = none.")
  @Default("65536")
  @Min(0)
  @Max(Limits.MAX_QUEUE)
  public Integer maxQueue;

  @JsonPropertyDescription(
      "What a full pool does with one more task. reject: 503 with Retry-After; inline: run it on the"
          + " event loop (counted).")
  @Default("reject")
  public Overflow overflow;

  @JsonPropertyDescription(
      "low: the pool's threads run in Linux SCHED_IDLE and yield the CPU to the event loops; normal:"
          + " time-sliced as equals. When absent, by the pool's work: low when only thumbnail routes use it,"
          + " else normal.")
  public Priority priority;

  /** How the pool's threads compete with the event loops. */
  public enum Priority {
    low,
    normal
  }

  /** What a full pool does with one more task. */
  public enum Overflow {
    reject,
    inline
  }

  public PoolSpec() {}

  public PoolSpec(String name, Integer threads, Integer maxQueue, Overflow overflow) {
    this.name = name;
    this.threads = threads;
    this.maxQueue = maxQueue;
    this.overflow = overflow;
  }
}
