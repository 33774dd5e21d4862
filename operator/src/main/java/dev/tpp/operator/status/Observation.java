package dev.tpp.operator.status;

import dev.tpp.operator.autoscale.Autoscaler;
import java.util.List;
import java.util.Optional;

/**
 * Everything one reconciliation learned, from which {@link StatusBuilder} writes the status: the config check's
 * outcome, the applied config's hash, the Deployment's counts, the ready pods and how many serve that hash and the autoscaling round.
 */
public record Observation(
    List<String> configErrors,
    String appliedHash,
    int replicas,
    int readyReplicas,
    int readyPods,
    int podsOnHash,
    boolean autoscaling,
    Optional<Autoscaler.Round> round) {

  public boolean configValid() {
    return configErrors.isEmpty();
  }
}
