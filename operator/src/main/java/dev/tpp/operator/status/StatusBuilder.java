package dev.tpp.operator.status;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.crds.ThreadPoolProxyStatus;
import dev.tpp.operator.autoscale.ScaleDecider;
import dev.tpp.operator.model.Names;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the status from an {@link Observation}, keeping each condition's lastTransitionTime while
 * its status stays the same (metav1.Condition semantics). Pure apart from the clock passed in.
 */
public final class StatusBuilder {
  public static final String READY = "Ready";
  public static final String CONFIG_VALID = "ConfigValid";
  public static final String SCALING = "Scaling";

  /**
   * Ready's reason while reconciliation fails (an API call refused, a timeout); JOSDK retries with
   * backoff.
   */
  public static final String RECONCILE_ERROR = "ReconcileError";

  public static final String INVALID_SUFFIX = " (the last valid config keeps serving)";

  /**
   * metav1.Condition bounds its message (the CRD schema says so too): a long error list is cut, not
   * rejected.
   */
  static final int MAX_MESSAGE = 32768;

  private StatusBuilder() {}

  public static ThreadPoolProxyStatus build(ThreadPoolProxy tpp, Observation o, Instant now) {
    ThreadPoolProxyStatus previous =
        tpp.getStatus() == null ? new ThreadPoolProxyStatus() : tpp.getStatus();
    ThreadPoolProxyStatus s = new ThreadPoolProxyStatus();
    long generation =
        tpp.getMetadata().getGeneration() == null ? 0 : tpp.getMetadata().getGeneration();
    s.observedGeneration = generation;
    s.replicas = o.replicas();
    s.readyReplicas = o.readyReplicas();
    s.selector = Names.selector(tpp);
    s.configHash = o.appliedHash();
    s.podsOnConfigHash = o.podsOnHash() + "/" + o.readyPods();
    s.blockP99 =
        o.round().flatMap(r -> r.blockP99()).map(ScaleDecider::format).orElse(previous.blockP99);
    s.poolWaitP99 =
        o.round()
            .flatMap(r -> r.poolWaitP99())
            .map(ScaleDecider::format)
            .orElse(previous.poolWaitP99);
    s.scalingSignal = o.round().map(r -> r.decision().signal()).orElse(previous.scalingSignal);
    s.desiredReplicas =
        o.round().map(r -> r.decision().replicas()).orElse(previous.desiredReplicas);
    List<Condition> conditions = new ArrayList<>();
    conditions.add(configValid(o, generation));
    conditions.add(ready(o, generation));
    conditions.add(scaling(o, generation, previous));
    s.conditions =
        conditions.stream().map(c -> keepTransitionTime(c, previous.conditions, now)).toList();
    return s;
  }

  /**
   * The status after a reconciliation failed with {@code error}: {@code tpp}'s status as it was
   * (the same object), with Ready False, reason {@value #RECONCILE_ERROR} and the error as message,
   * in Ready's place.
   */
  public static ThreadPoolProxyStatus failed(ThreadPoolProxy tpp, String error, Instant now) {
    ThreadPoolProxyStatus status =
        tpp.getStatus() == null ? new ThreadPoolProxyStatus() : tpp.getStatus();
    long generation =
        tpp.getMetadata().getGeneration() == null ? 0 : tpp.getMetadata().getGeneration();
    Condition ready =
        keepTransitionTime(
            condition(READY, "False", RECONCILE_ERROR, error, generation), status.conditions, now);
    List<Condition> conditions =
        new ArrayList<>(status.conditions == null ? List.of() : status.conditions);
    int at = conditions.stream().map(Condition::getType).toList().indexOf(READY);
    if (at >= 0) {
      conditions.set(at, ready);
    } else {
      conditions.add(ready);
    }
    status.conditions = conditions;
    status.selector = Names.selector(tpp);
    return status;
  }

  private static Condition configValid(Observation o, long generation) {
    return o.configValid()
        ? condition(CONFIG_VALID, "True", "Valid", "proxy.yaml rendered and validated", generation)
        : condition(
            CONFIG_VALID,
            "False",
            "Invalid",
            String.join("; ", o.configErrors()) + INVALID_SUFFIX,
            generation);
  }

  private static Condition ready(Observation o, long generation) {
    if (o.appliedHash() == null) {
      return condition(
          READY, "False", "NoValidConfig", "no valid config has been applied yet", generation);
    }
    if (o.readyReplicas() < o.desiredReplicas()) {
      return condition(
          READY,
          "False",
          "PodsNotReady",
          o.readyReplicas() + "/" + o.desiredReplicas() + " pods ready",
          generation);
    }
    if (o.podsOnHash() < o.readyPods()) {
      return condition(
          READY,
          "False",
          "ConfigPending",
          o.podsOnHash() + "/" + o.readyPods() + " ready pods serve config " + o.appliedHash(),
          generation);
    }
    return condition(
        READY,
        "True",
        "AllPodsReady",
        o.readyReplicas() + " pods ready on config " + o.appliedHash(),
        generation);
  }

  private static Condition scaling(Observation o, long generation, ThreadPoolProxyStatus previous) {
    if (o.policy().kedaMode()) {
      return condition(
          SCALING, "True", "KEDA", "a KEDA ScaledObject scales this resource", generation);
    }
    if (!o.policy().operatorMode()) {
      return condition(
          SCALING, "False", "Disabled", "spec.autoscaling.enabled is not true", generation);
    }
    return o.round()
        .map(
            r ->
                condition(
                    SCALING, "True", r.decision().reason(), r.decision().message(), generation))
        .orElseGet(
            () ->
                (previous.conditions == null ? List.<Condition>of() : previous.conditions)
                    .stream()
                        .filter(c -> c.getType().equals(SCALING) && c.getStatus().equals("True"))
                        .findFirst()
                        .orElse(
                            condition(
                                SCALING,
                                "True",
                                "Waiting",
                                "waiting for the first scrape round",
                                generation)));
  }

  private static Condition condition(
      String type, String status, String reason, String message, long generation) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(
            message.length() <= MAX_MESSAGE
                ? message
                : message.substring(0, MAX_MESSAGE - 3) + "...")
        .withObservedGeneration(generation)
        .build();
  }

  private static Condition keepTransitionTime(Condition c, List<Condition> previous, Instant now) {
    String since =
        previous == null
            ? null
            : previous.stream()
                .filter(p -> p.getType().equals(c.getType()) && p.getStatus().equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .findFirst()
                .orElse(null);
    c.setLastTransitionTime(since != null ? since : now.truncatedTo(ChronoUnit.SECONDS).toString());
    return c;
  }
}
