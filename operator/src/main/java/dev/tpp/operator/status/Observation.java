package dev.tpp.operator.status;

import dev.tpp.operator.autoscale.Autoscaler;
import dev.tpp.operator.model.AutoscalePolicy;
import java.util.List;
import java.util.Optional;

/**
 * Everything one reconciliation learned, from which {@link StatusBuilder} writes the status: the
 * config check's errors, the applied config's hash, the desired replicas ({@code spec.replicas}),
 * the Deployment's counts, the ready pods and how many of them serve the applied hash, the
 * autoscaling policy and this reconciliation's round, if any.
 */
public record Observation(
    List<String> configErrors,
    String appliedHash,
    int desiredReplicas,
    int replicas,
    int readyReplicas,
    int readyPods,
    int podsOnHash,
    AutoscalePolicy policy,
    Optional<Autoscaler.Round> round) {

  public boolean configValid() {
    return configErrors.isEmpty();
  }
}
