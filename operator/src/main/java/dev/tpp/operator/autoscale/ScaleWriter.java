package dev.tpp.operator.autoscale;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.dependent.DeploymentDependent;
import dev.tpp.operator.status.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Applies a scale decision through the ThreadPoolProxy's scale subresource ({@code spec.replicas},
 * the single owner of the replica count; the Deployment follows on the next reconciliation) and
 * records why in an Event.
 */
public final class ScaleWriter {
  private ScaleWriter() {}

  /** Writes {@code decision.replicas()} when it differs from the current scale. */
  public static void apply(
      KubernetesClient client,
      ThreadPoolProxy tpp,
      ScaleDecider.Decision decision,
      EventRecorder events) {
    int current = DeploymentDependent.replicas(tpp);
    if (decision.replicas() == current) {
      return;
    }
    client
        .resources(ThreadPoolProxy.class)
        .inNamespace(tpp.getMetadata().getNamespace())
        .withName(tpp.getMetadata().getName())
        .scale(decision.replicas());
    events.normal(tpp, decision.reason(), decision.message());
  }
}
