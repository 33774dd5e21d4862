package dev.tpp.operator.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.crds.AutoscalingSpec;
import dev.tpp.operator.model.AutoscalePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AutoscalerTest {
  static final AutoscalePolicy POLICY =
      new AutoscalePolicy(
          true,
          AutoscalingSpec.Mode.Operator,
          1,
          10,
          Duration.ofMillis(20),
          Duration.ofMinutes(5),
          Duration.ofSeconds(15));
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static PodScraper.Scrape pod(String name, double fast, double slow) {
    var buckets =
        new TreeMap<>(Map.of(0.005, fast, 0.1, fast + slow, Double.POSITIVE_INFINITY, fast + slow));
    return new PodScraper.Scrape(name, Optional.of(new BlockHistogram(buckets)), Optional.empty());
  }

  static PodScraper.Scrape failed(String name) {
    return new PodScraper.Scrape(name, Optional.empty(), Optional.empty());
  }

  @Test
  void firstRoundOnlySetsBaselines() {
    var round = new Autoscaler().round("uid", 2, List.of(pod("a", 1000, 500)), POLICY, T0);
    assertEquals("NoMetrics", round.decision().reason());
    assertTrue(round.blockP99().isEmpty());
  }

  @Test
  void usesOnlyTheWindowNotAllTime() {
    var autoscaler = new Autoscaler();
    // all-time the pod is mostly slow; in the last window it saw only fast observations
    autoscaler.round("uid", 2, List.of(pod("a", 0, 100_000)), POLICY, T0);
    var round =
        autoscaler.round("uid", 2, List.of(pod("a", 1000, 100_000)), POLICY, T0.plusSeconds(15));
    assertTrue(round.blockP99().orElseThrow() <= 0.005, "window p99 " + round.blockP99());
  }

  @Test
  void failedScrapesNeitherCountNorKeepABaseline() {
    var autoscaler = new Autoscaler();
    autoscaler.round("uid", 2, List.of(pod("a", 0, 0), pod("b", 0, 0)), POLICY, T0);
    var round =
        autoscaler.round(
            "uid", 2, List.of(pod("a", 0, 100), failed("b")), POLICY, T0.plusSeconds(15));
    assertTrue(round.decision().message().contains("over 1 pod"), round.decision().message());
    var next = autoscaler.round("uid", 2, List.of(pod("b", 0, 100)), POLICY, T0.plusSeconds(30));
    assertEquals(
        "NoMetrics", next.decision().reason(), "b lost its baseline when its scrape failed");
  }

  @Test
  void forgetsResourcesThatAreGone() {
    var autoscaler = new Autoscaler();
    assertTrue(autoscaler.claim("gone", 1));
    assertTrue(autoscaler.claim("kept", 1));
    autoscaler.retainOnly(java.util.Set.of("kept"));
    assertTrue(autoscaler.claim("gone", 1), "a forgotten resource starts over");
    assertFalse(autoscaler.claim("kept", 1));
  }

  @Test
  void eachScrapeRoundIsClaimedOnce() {
    var autoscaler = new Autoscaler();
    assertFalse(autoscaler.claim("uid", 0), "a scrape without metrics is no round");
    assertTrue(autoscaler.claim("uid", 7));
    assertFalse(
        autoscaler.claim("uid", 7), "the same scrape again (a reconcile for another reason)");
    assertTrue(autoscaler.claim("uid", 8));
  }

  @Test
  void scalesOnPoolWaitWhenTheLoopsStayFast() {
    var policy =
        new AutoscalePolicy(
            true,
            AutoscalingSpec.Mode.Operator,
            1,
            10,
            Duration.ofMillis(20),
            Duration.ofMinutes(5),
            Duration.ofSeconds(15),
            Duration.ofMillis(50));
    var autoscaler = new Autoscaler();
    autoscaler.round("uid", 2, List.of(waiting("a", 0, 0)), policy, T0);
    // the loop saw only fast turns; its pool's tasks waited 100 ms-1 s
    var round =
        autoscaler.round("uid", 2, List.of(waiting("a", 1000, 100)), policy, T0.plusSeconds(15));
    assertTrue(round.blockP99().orElseThrow() <= 0.005, "block p99 " + round.blockP99());
    assertTrue(round.poolWaitP99().orElseThrow() > 0.1, "pool wait p99 " + round.poolWaitP99());
    assertEquals("ScaledUp", round.decision().reason(), round.decision().message());
    assertEquals("poolWaitP99", round.decision().signal());
  }

  /**
   * A pod whose loop saw {@code fast} quick turns and whose pools had {@code slowTasks} waits of
   * 100 ms-1 s.
   */
  static PodScraper.Scrape waiting(String name, double fast, double slowTasks) {
    var block = new TreeMap<>(Map.of(0.005, fast, Double.POSITIVE_INFINITY, fast));
    var wait = new TreeMap<>(Map.of(0.1, 0.0, 1.0, slowTasks, Double.POSITIVE_INFINITY, slowTasks));
    return new PodScraper.Scrape(
        name,
        Optional.of(new BlockHistogram(block)),
        Optional.empty(),
        Optional.of(new BlockHistogram(wait)));
  }
}
