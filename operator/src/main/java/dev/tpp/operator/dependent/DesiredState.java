package dev.tpp.operator.dependent;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.validation.CheckedConfig;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * What the reconciler hands the dependents for one reconciliation: the checked config and the
 * operator's settings. The workflow only runs after a successful check, so every dependent can rely
 * on it being there.
 */
public record DesiredState(CheckedConfig config, OperatorSettings settings) {

  /** Stores this state for the dependents of the current reconciliation. */
  public void putInto(Context<ThreadPoolProxy> context) {
    context.managedWorkflowAndDependentResourceContext().put(DesiredState.class, this);
  }

  /** The state the reconciler stored for this reconciliation. */
  public static DesiredState of(Context<ThreadPoolProxy> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(DesiredState.class, DesiredState.class);
  }
}
