package dev.tpp.proxy.route.upstream;

import dev.tpp.config.Durations;
import dev.tpp.config.UpstreamConfig.OutlierDetection;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive health of one upstream's endpoints (Envoy's outlier detection): {@code consecutiveErrors}
 * connect errors or 5xx in a row eject an endpoint for {@code baseEjectionTime} times its recent
 * ejections (each base period back in service without one forgets one), at most 5 minutes unless
 * the base is longer. At most {@code maxEjectionPercent} of the endpoints (rounded down) are out at
 * once. The endpoint comes back by itself, from a timer on the loop that ejected it. Each change is
 * counted in {@code tpp_upstream_ejections_total} and logged once. Called on event loops; lock-free
 * (the ejection itself is a compare-and-set).
 */
final class OutlierDetector {
  static final Duration MAX_EJECTION = Duration.ofMinutes(5);
  private static final Logger log = LoggerFactory.getLogger("tpp.upstream");

  /** Runs {@code task} after {@code delay}; on the loop that asks, in production. */
  @FunctionalInterface
  interface Timer {
    void schedule(Runnable task, Duration delay);
  }

  private final String upstream;
  private final OutlierDetection config;
  private final Supplier<EndpointSet> endpoints;
  private final Counter ejections;
  private final LongSupplier nanoTime;
  private final AtomicInteger ejected = new AtomicInteger();

  /** {@code config} null: nothing is ever ejected. */
  // null config: every use of it is past the null check that returns before any ejection
  @SuppressWarnings("NullAway")
  OutlierDetector(
      String upstream,
      @Nullable OutlierDetection config,
      Supplier<EndpointSet> endpoints,
      Counter ejections,
      LongSupplier nanoTime) {
    this.upstream = upstream;
    this.config = config;
    this.endpoints = endpoints;
    this.ejections = ejections;
    this.nanoTime = nanoTime;
  }

  /** A response below 500 came from {@code e}. */
  void success(UpstreamEndpoint e) {
    if (e.consecutiveErrors.get() != 0) {
      e.consecutiveErrors.set(0);
    }
  }

  /** A connect error, timeout, reset or 5xx from {@code e}; {@code reason} goes to the log line. */
  void error(UpstreamEndpoint e, String reason, Timer timer) {
    if (config == null
        || e.consecutiveErrors.incrementAndGet() < config.consecutiveErrors()
        || e.ejected()
        || e.removed()) {
      return;
    }
    int max = endpoints.get().size() * config.maxEjectionPercent() / 100;
    if (!reserve(max)) {
      e.consecutiveErrors.set(
          0); // at the share: the endpoint stays in, and must earn a new try with new errors
      return;
    }
    if (!e.eject()) {
      ejected.decrementAndGet(); // another loop ejected it first
      return;
    }
    e.consecutiveErrors.set(0);
    int times = multiplier(e);
    e.ejections = times;
    long id = ++e.ejectionId;
    Duration time = ejectionTime(times);
    ejections.increment();
    log.warn(
        "event=upstream_endpoint_ejected upstream={} endpoint={} reason={} errors={} ejection={} for={}"
            + " ejected={}/{}",
        upstream,
        e,
        reason,
        config.consecutiveErrors(),
        times,
        Durations.format(time),
        ejected.get(),
        endpoints.get().size());
    timer.schedule(() -> restore(e, id), time);
  }

  /** {@code e} left the endpoint set: it no longer takes one of the ejection places. */
  void removed(UpstreamEndpoint e) {
    if (e.unEject()) {
      ejected.decrementAndGet();
    }
  }

  int ejectedCount() {
    return ejected.get();
  }

  private void restore(UpstreamEndpoint e, long id) {
    if (e.ejectionId != id || !e.unEject()) {
      return; // removed meanwhile, or this timer belongs to an older ejection
    }
    ejected.decrementAndGet();
    e.returnedAtNanos = nanoTime.getAsLong();
    log.info(
        "event=upstream_endpoint_returned upstream={} endpoint={} ejected={}/{}",
        upstream,
        e,
        ejected.get(),
        endpoints.get().size());
  }

  private boolean reserve(int max) {
    for (int n = ejected.get(); n < max; n = ejected.get()) {
      if (ejected.compareAndSet(n, n + 1)) {
        return true;
      }
    }
    return false;
  }

  /**
   * 1 for a first ejection; one more than the last, less one for each base period spent back in
   * service.
   */
  private int multiplier(UpstreamEndpoint e) {
    if (e.ejections == 0) {
      return 1;
    }
    long forgiven =
        (nanoTime.getAsLong() - e.returnedAtNanos) / config.baseEjectionTime().toNanos();
    return (int) Math.max(0, e.ejections - forgiven) + 1;
  }

  private Duration ejectionTime(int times) {
    Duration cap =
        config.baseEjectionTime().compareTo(MAX_EJECTION) > 0
            ? config.baseEjectionTime()
            : MAX_EJECTION;
    Duration time = config.baseEjectionTime().multipliedBy(Math.min(times, 1_000));
    return time.compareTo(cap) > 0 ? cap : time;
  }
}
