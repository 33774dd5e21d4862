package dev.tpp.operator.status;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.autoscale.PodScraper;
import dev.tpp.operator.model.Names;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Set;

/**
 * The proxies' pods from an informer instead of an API list per reconciliation: only pods labelled
 * {@value Names#MANAGED_BY_SELECTOR} are cached, each mapped to its ThreadPoolProxy by the {@value
 * Names#INSTANCE_LABEL} label (a pod is owned by a ReplicaSet, not by the resource). A pod turning
 * ready or unready reconciles its resource at once. Informer threads call the mapper; reconciler
 * and polling threads read the cache.
 */
public final class FleetPods {
  public static final String NAME = "pods";

  private FleetPods() {}

  /** The event source. */
  public static InformerEventSource<Pod, ThreadPoolProxy> eventSource(
      EventSourceContext<ThreadPoolProxy> context) {
    var configuration =
        InformerEventSourceConfiguration.from(Pod.class, ThreadPoolProxy.class)
            .withName(NAME)
            .withLabelSelector(Names.MANAGED_BY_SELECTOR)
            .withSecondaryToPrimaryMapper(FleetPods::owner)
            .build();
    return new InformerEventSource<>(configuration, context);
  }

  static Set<ResourceID> owner(Pod pod) {
    var labels = pod.getMetadata().getLabels();
    String instance = labels == null ? null : labels.get(Names.INSTANCE_LABEL);
    return instance == null
        ? Set.of()
        : Set.of(new ResourceID(instance, pod.getMetadata().getNamespace()));
  }

  /**
   * The admin addresses of the ready pods among {@code pods}: the only ones ever scraped or
   * counted.
   */
  public static List<PodScraper.Target> readyTargets(List<Pod> pods, int adminPort) {
    return pods.stream()
        .filter(FleetPods::ready)
        .map(
            p ->
                new PodScraper.Target(
                    p.getMetadata().getName(), p.getStatus().getPodIP(), adminPort))
        .toList();
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
