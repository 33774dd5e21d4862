package dev.tpp.operator.status;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.autoscale.Autoscaler;
import dev.tpp.operator.autoscale.PodScraper;
import dev.tpp.operator.model.AutoscalePolicy;
import dev.tpp.operator.model.Names;
import dev.tpp.operator.model.PodTemplateRenderer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Looks at the running fleet: which pods are ready, which of them serve the applied config hash, and (mode Operator,
 * when a round is due) their block-time histograms for the {@link Autoscaler}. Only ready pods with an IP are asked;
 * the others never count.
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

  public Fleet observe(KubernetesClient client, ThreadPoolProxy tpp, String appliedHash, Instant now) {
    AutoscalePolicy policy = AutoscalePolicy.of(tpp);
    int adminPort = PodTemplateRenderer.adminPort(tpp.getSpec());
    List<PodScraper.Target> targets =
        client.pods().inNamespace(tpp.getMetadata().getNamespace()).withLabels(Names.selectorLabels(tpp)).list()
            .getItems().stream()
            .filter(FleetObserver::ready)
            .map(p -> new PodScraper.Target(p.getMetadata().getName(), p.getStatus().getPodIP(), adminPort))
            .toList();
    String uid = tpp.getMetadata().getUid();
    boolean round = policy.operatorMode() && autoscaler.due(uid, policy, now);
    List<PodScraper.Scrape> scrapes = targets.isEmpty() ? List.of() : scraper.scrape(targets, round);
    int onHash =
        (int) scrapes.stream().filter(s -> s.configHash().map(h -> Objects.equals(h, appliedHash)).orElse(false))
            .count();
    if (!policy.operatorMode()) {
      autoscaler.forget(uid);
      return new Fleet(targets.size(), onHash, Optional.empty());
    }
    int current = tpp.getSpec().replicas == null ? 1 : tpp.getSpec().replicas;
    Optional<Autoscaler.Round> result =
        round ? Optional.of(autoscaler.round(uid, current, scrapes, policy, now)) : Optional.empty();
    return new Fleet(targets.size(), onHash, result);
  }

  /** Forgets autoscaling state of resources that are gone; {@code live} holds the UIDs that still exist. */
  public void retainOnly(Set<String> live) {
    autoscaler.retainOnly(live);
  }

  static boolean ready(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null
        && pod.getStatus() != null
        && pod.getStatus().getPodIP() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }
}
