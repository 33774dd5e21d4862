package dev.tpp.operator.status;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.autoscale.Autoscaler;
import dev.tpp.operator.autoscale.PodScraper;
import dev.tpp.operator.model.AutoscalePolicy;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Looks at the running fleet without waiting for it: the ready pods come from the pod informer
 * ({@link FleetPods}), the pods' config hashes and block-time histograms from the last scrape
 * ({@link FleetScrapes}, done on its own threads). Counts how many ready pods serve the applied
 * config hash and, in mode Operator, runs one {@link Autoscaler} round per new scrape round. Only
 * ready pods count. Called on reconciler threads.
 */
public final class FleetObserver {
  private final PodScraper scraper;
  private final Autoscaler autoscaler;

  public FleetObserver(PodScraper scraper, Autoscaler autoscaler) {
    this.scraper = scraper;
    this.autoscaler = autoscaler;
  }

  /** The fleet as seen now. */
  public record Fleet(int readyPods, int podsOnHash, Optional<Autoscaler.Round> round) {}

  /**
   * The pod informer and the scrape poller that feeds on it, for the reconciler's
   * prepareEventSources.
   */
  public List<EventSource<?, ThreadPoolProxy>> eventSources(
      EventSourceContext<ThreadPoolProxy> context) {
    var pods = FleetPods.eventSource(context);
    return List.of(pods, FleetScrapes.eventSource(context, scraper, pods));
  }

  /**
   * What {@code pods} (the informer's) and {@code scrape} (the last one, if any) say about the
   * fleet now.
   */
  public Fleet observe(
      ThreadPoolProxy tpp,
      List<Pod> pods,
      Optional<FleetScrapes.FleetScrape> scrape,
      String appliedHash,
      Instant now) {
    AutoscalePolicy policy = AutoscalePolicy.of(tpp);
    Set<String> ready =
        FleetPods.readyTargets(pods, 0).stream()
            .map(PodScraper.Target::pod)
            .collect(Collectors.toSet());
    List<PodScraper.Scrape> scrapes =
        scrape.map(FleetScrapes.FleetScrape::scrapes).orElse(List.of()).stream()
            .filter(s -> ready.contains(s.pod()))
            .toList();
    int onHash =
        (int)
            scrapes.stream()
                .filter(s -> s.configHash().map(h -> Objects.equals(h, appliedHash)).orElse(false))
                .count();
    String uid = tpp.getMetadata().getUid();
    if (!policy.operatorMode()) {
      autoscaler.forget(uid);
      return new Fleet(ready.size(), onHash, Optional.empty());
    }
    long round = scrape.map(FleetScrapes.FleetScrape::round).orElse(0L);
    if (!autoscaler.claim(uid, round)) {
      return new Fleet(ready.size(), onHash, Optional.empty());
    }
    int current = tpp.getSpec().replicas == null ? 1 : tpp.getSpec().replicas;
    return new Fleet(
        ready.size(), onHash, Optional.of(autoscaler.round(uid, current, scrapes, policy, now)));
  }

  /**
   * Forgets autoscaling state of resources that are gone; {@code live} holds the UIDs that still
   * exist.
   */
  public void retainOnly(Set<String> live) {
    autoscaler.retainOnly(live);
  }
}
