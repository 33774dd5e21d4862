package dev.tpp.operator.dependent;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.model.AutoscalePolicy;
import dev.tpp.operator.model.Names;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * KEDA ScaledObject {@code NAME} (mode KEDA): a Prometheus trigger on the mean per-pod p99
 * event-loop block time, scaling the ThreadPoolProxy itself through its scale subresource, so
 * {@code spec.replicas} stays the single owner.
 *
 * <p>Not a JOSDK-managed dependent: JOSDK builds a dependent's informer even while its activation
 * condition is false, and for a GenericKubernetesResource that needs API discovery of keda.sh,
 * which fails on clusters without KEDA. So this applies the object itself (server-side apply, owner
 * reference for GC) only when the KEDA CRD exists, and deletes it when the mode is no longer KEDA.
 * Called from the reconciler's thread.
 */
public final class ScaledObjectDependent {
  public static final String CRD = "scaledobjects.keda.sh";
  static final ResourceDefinitionContext KEDA =
      new ResourceDefinitionContext.Builder()
          .withGroup("keda.sh")
          .withVersion("v1alpha1")
          .withKind("ScaledObject")
          .withPlural("scaledobjects")
          .withNamespaced(true)
          .build();

  /**
   * The Prometheus target label holding the pod's {@code app.kubernetes.io/instance} (PodMonitor
   * podTargetLabels).
   */
  public static final String INSTANCE_LABEL = "app_kubernetes_io_instance";

  private volatile Boolean installed;

  /**
   * Applies or deletes the ScaledObject of {@code tpp}; a no-op without KEDA (checked once per
   * operator run).
   */
  public void reconcile(KubernetesClient client, ThreadPoolProxy tpp, OperatorSettings settings) {
    if (installed == null) {
      installed =
          client.apiextensions().v1().customResourceDefinitions().withName(CRD).get() != null;
    }
    if (!installed) {
      return;
    }
    var scaledObjects =
        client.genericKubernetesResources(KEDA).inNamespace(tpp.getMetadata().getNamespace());
    if (AutoscalePolicy.of(tpp).kedaMode()) {
      scaledObjects
          .resource(desired(tpp, settings))
          .fieldManager("tpp-operator")
          .forceConflicts()
          .serverSideApply();
    } else if (scaledObjects.withName(Names.workload(tpp)).get() != null) {
      scaledObjects.withName(Names.workload(tpp)).delete();
    }
  }

  /** The desired ScaledObject. Pure. */
  public static GenericKubernetesResource desired(ThreadPoolProxy tpp, OperatorSettings settings) {
    AutoscalePolicy policy = AutoscalePolicy.of(tpp);
    GenericKubernetesResource so =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("keda.sh/v1alpha1")
            .withKind("ScaledObject")
            .withMetadata(Names.metadata(tpp, Names.workload(tpp)))
            .addToAdditionalProperties("spec", spec(tpp, policy, settings.prometheusUrl()))
            .build();
    so.getMetadata()
        .setOwnerReferences(
            List.of(
                new OwnerReferenceBuilder()
                    .withApiVersion(tpp.getApiVersion())
                    .withKind(tpp.getKind())
                    .withName(tpp.getMetadata().getName())
                    .withUid(tpp.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build()));
    return so;
  }

  static Map<String, Object> spec(ThreadPoolProxy tpp, AutoscalePolicy policy, String prometheus) {
    return Map.of(
        "scaleTargetRef",
        Map.of(
            "apiVersion",
            tpp.getApiVersion(),
            "kind",
            tpp.getKind(),
            "name",
            tpp.getMetadata().getName()),
        "minReplicaCount",
        policy.minReplicas(),
        "maxReplicaCount",
        policy.maxReplicas(),
        "pollingInterval",
        Math.max(1, policy.interval().toSeconds()),
        "advanced",
        Map.of(
            "horizontalPodAutoscalerConfig",
            Map.of(
                "behavior",
                Map.of(
                    "scaleDown",
                    Map.of(
                        "stabilizationWindowSeconds",
                        policy.scaleDownStabilization().toSeconds())))),
        "triggers",
        triggers(tpp, policy, prometheus));
  }

  /**
   * Block time, and pool queue wait when {@code targetPoolWaitP99} is set: the HPA scales on the
   * larger ratio.
   */
  static List<Map<String, Object>> triggers(
      ThreadPoolProxy tpp, AutoscalePolicy policy, String prometheus) {
    List<Map<String, Object>> triggers = new ArrayList<>();
    triggers.add(
        trigger(
            prometheus,
            query(tpp, "tpp_event_loop_block_seconds_bucket"),
            policy.targetBlockP99()));
    if (policy.poolWaitSignal()) {
      triggers.add(
          trigger(
              prometheus,
              query(tpp, "tpp_pool_task_wait_seconds_bucket"),
              policy.targetPoolWaitP99()));
    }
    return triggers;
  }

  private static Map<String, Object> trigger(String prometheus, String query, Duration target) {
    return Map.of(
        "type",
        "prometheus",
        "metricType",
        "Value",
        "metadata",
        Map.of(
            "serverAddress",
            prometheus,
            "query",
            query,
            "threshold",
            Double.toString(target.toNanos() / 1e9)));
  }

  /** Mean over the pods of each pod's p99 of {@code bucket} (summed across workers or pools). */
  static String query(ThreadPoolProxy tpp, String bucket) {
    return "avg(histogram_quantile(0.99, sum by (pod, le) (rate("
        + bucket
        + selector(tpp)
        + "[1m]))))";
  }

  /**
   * The series of this resource's pods: by the {@value #INSTANCE_LABEL} target label (the chart's
   * PodMonitor copies the pods' {@code app.kubernetes.io/instance} label into it), never by a
   * pod-name prefix, which would also match the pods of a sibling named {@code NAME-something}.
   */
  static String selector(ThreadPoolProxy tpp) {
    return "{namespace=\""
        + tpp.getMetadata().getNamespace()
        + "\", "
        + INSTANCE_LABEL
        + "=\""
        + Names.workload(tpp)
        + "\"}";
  }
}
