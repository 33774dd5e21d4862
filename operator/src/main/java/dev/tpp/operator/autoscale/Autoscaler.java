package dev.tpp.operator.autoscale;

import dev.tpp.operator.model.AutoscalePolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Per-resource autoscaling memory between scrape rounds: each pod's last cumulative histogram (so a
 * round measures only its own window, never all-time) and the recommendation history of the
 * stabilization window. JOSDK never reconciles one resource on two threads at once, so each
 * resource's state is touched by one thread at a time; the scrapes themselves come from {@code
 * status.FleetScrapes}, done on its own threads.
 */
public final class Autoscaler {
  private final Map<String, State> states = new ConcurrentHashMap<>();

  /**
   * The result of one round: the decision and the mean per-pod p99s it saw (empty without data).
   */
  public record Round(
      ScaleDecider.Decision decision, Optional<Double> blockP99, Optional<Double> poolWaitP99) {
    public Round(ScaleDecider.Decision decision, Optional<Double> blockP99) {
      this(decision, blockP99, Optional.empty());
    }
  }

  private static final class State {
    Map<String, BlockHistogram> last = new HashMap<>();
    Map<String, BlockHistogram> lastPoolWait = new HashMap<>();
    List<ScaleDecider.Recommendation> history = new ArrayList<>();
    long lastScrapeRound;
  }

  /**
   * True once per scrape round: when {@code scrapeRound} (positive, increasing; 0 = a scrape
   * without metrics) is newer than the last one claimed for resource {@code uid}. A round must see
   * each window once: the same scrape twice would measure an empty window.
   */
  public boolean claim(String uid, long scrapeRound) {
    State state = states.computeIfAbsent(uid, k -> new State());
    if (scrapeRound <= state.lastScrapeRound) {
      return false;
    }
    state.lastScrapeRound = scrapeRound;
    return true;
  }

  /**
   * Runs one round over the scrapes of the ready pods. Pods whose scrape failed contribute nothing
   * and keep no baseline; a pod seen for the first time only sets its baseline.
   */
  public Round round(
      String uid,
      int current,
      List<PodScraper.Scrape> scrapes,
      AutoscalePolicy policy,
      Instant now) {
    State state = states.computeIfAbsent(uid, k -> new State());
    Map<String, BlockHistogram> next = new HashMap<>();
    Map<String, BlockHistogram> nextPoolWait = new HashMap<>();
    List<Double> p99s = windowP99s(scrapes, PodScraper.Scrape::histogram, state.last, next, false);
    List<Double> waitP99s =
        policy.poolWaitSignal()
            ? windowP99s(
                scrapes, PodScraper.Scrape::poolWait, state.lastPoolWait, nextPoolWait, true)
            : List.of();
    state.last = next;
    state.lastPoolWait = nextPoolWait;
    ScaleDecider.Decision decision =
        ScaleDecider.decide(current, p99s, waitP99s, policy, now, state.history);
    state.history = decision.history();
    return new Round(
        decision, mean(p99s), policy.poolWaitSignal() ? mean(waitP99s) : Optional.empty());
  }

  /**
   * One p99 per pod over the window since its last scrape; stores each pod's latest histogram in
   * {@code next}. An empty window counts as 0 when {@code idleIsZero} (a pool with no task waited
   * for nothing), else not at all.
   */
  private static List<Double> windowP99s(
      List<PodScraper.Scrape> scrapes,
      Function<PodScraper.Scrape, Optional<BlockHistogram>> signal,
      Map<String, BlockHistogram> last,
      Map<String, BlockHistogram> next,
      boolean idleIsZero) {
    List<Double> p99s = new ArrayList<>();
    for (PodScraper.Scrape scrape : scrapes) {
      Optional<BlockHistogram> latest = signal.apply(scrape);
      if (latest.isEmpty()) {
        continue;
      }
      next.put(scrape.pod(), latest.get());
      BlockHistogram before = last.get(scrape.pod());
      if (before != null) {
        latest
            .get()
            .minus(before)
            .filter(w -> idleIsZero || w.count() > 0)
            .ifPresent(w -> p99s.add(w.quantile(0.99)));
      }
    }
    return p99s;
  }

  private static Optional<Double> mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().stream().boxed().findFirst();
  }

  /** Drops the memory of a resource that no longer autoscales in mode Operator. */
  public void forget(String uid) {
    states.remove(uid);
  }

  /**
   * Drops the memory of every resource not in {@code live} (deleted ones: GC deletes without
   * telling us).
   */
  public void retainOnly(Set<String> live) {
    states.keySet().retainAll(live);
  }
}
