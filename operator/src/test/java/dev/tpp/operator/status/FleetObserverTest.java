package dev.tpp.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.autoscale.Autoscaler;
import dev.tpp.operator.autoscale.PodScraper;
import dev.tpp.operator.model.Fixtures;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What reconcile learns from the pod informer's pods and the scrape poller's last scrape, without
 * waiting.
 */
class FleetObserverTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  final FleetObserver observer =
      new FleetObserver(
          (targets, withMetrics) -> {
            throw new AssertionError("observe never scrapes");
          },
          new Autoscaler());

  static Pod pod(String name, boolean ready) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("ns")
        .withLabels(Map.of("app.kubernetes.io/instance", "web"))
        .endMetadata()
        .withNewStatus()
        .withPodIP("10.0.0.1")
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }

  /** A resource as the API server returns it: with a UID. */
  static ThreadPoolProxy proxy(String spec) {
    ThreadPoolProxy tpp = Fixtures.proxy("web", "ns", spec);
    tpp.getMetadata().setUid("uid-1");
    return tpp;
  }

  static PodScraper.Scrape onHash(String pod, String hash) {
    return new PodScraper.Scrape(pod, Optional.empty(), Optional.of(hash));
  }

  @Test
  void countsReadyPodsOnTheAppliedHashFromTheLastScrape() {
    ThreadPoolProxy tpp = proxy("");
    var scrape =
        new FleetScrapes.FleetScrape(
            0,
            List.of(onHash("a", "h1"), onHash("b", "h0"), onHash("gone", "h1"), onHash("c", "h1")));
    var fleet =
        observer.observe(
            tpp,
            List.of(pod("a", true), pod("b", true), pod("c", false)),
            Optional.of(scrape),
            "h1",
            NOW);
    assertEquals(2, fleet.readyPods(), "c is not ready");
    assertEquals(
        1, fleet.podsOnHash(), "a only: b is on the old hash, gone and c are not ready pods");
    assertTrue(fleet.round().isEmpty(), "no autoscaling without mode Operator");
  }

  @Test
  void beforeTheFirstScrapeNoPodCountsAsOnTheHash() {
    var fleet = observer.observe(proxy(""), List.of(pod("a", true)), Optional.empty(), "h1", NOW);
    assertEquals(1, fleet.readyPods());
    assertEquals(0, fleet.podsOnHash());
  }

  @Test
  void runsOneAutoscalingRoundPerScrapeRound() {
    ThreadPoolProxy tpp = proxy("autoscaling: {enabled: true}");
    var scrape = Optional.of(new FleetScrapes.FleetScrape(3, List.of(onHash("a", "h1"))));
    List<Pod> pods = List.of(pod("a", true));
    assertTrue(observer.observe(tpp, pods, scrape, "h1", NOW).round().isPresent());
    assertTrue(
        observer.observe(tpp, pods, scrape, "h1", NOW.plusSeconds(1)).round().isEmpty(),
        "the same scrape seen again (a reconcile for another reason) is no new window");
  }

  @Test
  void mapsAPodToItsResourceByTheInstanceLabel() {
    assertEquals(Set.of(new ResourceID("web", "ns")), FleetPods.owner(pod("a", true)));
    assertEquals(
        Set.of(),
        FleetPods.owner(new PodBuilder().withNewMetadata().withName("x").endMetadata().build()));
  }

  @Test
  void scrapesAtOnceThenEveryIntervalOrHashPeriod() {
    ThreadPoolProxy off = Fixtures.proxy("web", "ns", "");
    ThreadPoolProxy operator =
        Fixtures.proxy("web", "ns", "autoscaling: {enabled: true, interval: 7s}");
    assertEquals(Duration.ZERO, FleetScrapes.delay(null, off));
    assertEquals(
        Duration.ofSeconds(FleetScrapes.HASH_PERIOD_SECONDS), FleetScrapes.delay(Set.of(), off));
    assertEquals(Duration.ofSeconds(7), FleetScrapes.delay(Set.of(), operator));
  }
}
