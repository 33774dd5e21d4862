package dev.tpp.operator.dependent;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.model.AutoscalePolicy;
import dev.tpp.operator.model.Names;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GenericKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.util.List;
import java.util.Map;

/**
 * KEDA ScaledObject {@code NAME} (mode KEDA): a Prometheus trigger on the mean per-pod p99 event-loop block time,
 * scaling the ThreadPoolProxy itself through its scale subresource, so {@code spec.replicas} stays the single owner.
 */
public class ScaledObjectDependent extends GenericKubernetesDependentResource<ThreadPoolProxy>
    implements Creator<GenericKubernetesResource, ThreadPoolProxy>,
        Updater<GenericKubernetesResource, ThreadPoolProxy>,
        GarbageCollected<ThreadPoolProxy> {
  public static final GroupVersionKind GVK = new GroupVersionKind("keda.sh", "v1alpha1", "ScaledObject");

  public ScaledObjectDependent() {
    super(GVK);
  }

  @Override
  protected GenericKubernetesResource desired(ThreadPoolProxy tpp, Context<ThreadPoolProxy> context) {
    AutoscalePolicy policy = AutoscalePolicy.of(tpp);
    String prometheus = DesiredState.of(context).settings().prometheusUrl();
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("keda.sh/v1alpha1")
        .withKind("ScaledObject")
        .withMetadata(Names.metadata(tpp, Names.workload(tpp)))
        .addToAdditionalProperties("spec", spec(tpp, policy, prometheus))
        .build();
  }

  static Map<String, Object> spec(ThreadPoolProxy tpp, AutoscalePolicy policy, String prometheus) {
    return Map.of(
        "scaleTargetRef",
        Map.of("apiVersion", tpp.getApiVersion(), "kind", tpp.getKind(), "name", tpp.getMetadata().getName()),
        "minReplicaCount", policy.minReplicas(),
        "maxReplicaCount", policy.maxReplicas(),
        "pollingInterval", Math.max(1, policy.interval().toSeconds()),
        "advanced",
        Map.of(
            "horizontalPodAutoscalerConfig",
            Map.of(
                "behavior",
                Map.of(
                    "scaleDown",
                    Map.of("stabilizationWindowSeconds", policy.scaleDownStabilization().toSeconds())))),
        "triggers",
        List.of(
            Map.of(
                "type", "prometheus",
                "metricType", "Value",
                "metadata",
                Map.of(
                    "serverAddress", prometheus,
                    "query", query(tpp),
                    "threshold", Double.toString(policy.targetBlockP99().toNanos() / 1e9)))));
  }

  /** Mean over the pods of each pod's p99 block time (buckets summed across workers), as the operator mode uses. */
  static String query(ThreadPoolProxy tpp) {
    return "avg(histogram_quantile(0.99, sum by (pod, le) (rate(tpp_event_loop_block_seconds_bucket{namespace=\""
        + tpp.getMetadata().getNamespace()
        + "\", pod=~\""
        + Names.workload(tpp)
        + "-.*\"}[1m]))))";
  }

  /** Reconcile precondition: autoscaling enabled in mode KEDA (otherwise an existing ScaledObject is deleted). */
  public static class KedaMode implements Condition<GenericKubernetesResource, ThreadPoolProxy> {
    @Override
    public boolean isMet(
        DependentResource<GenericKubernetesResource, ThreadPoolProxy> dependent,
        ThreadPoolProxy tpp,
        Context<ThreadPoolProxy> context) {
      return AutoscalePolicy.of(tpp).kedaMode();
    }
  }

  /** Activation condition: the KEDA CRD is installed (checked once; restart the operator after installing KEDA). */
  public static class KedaInstalled implements Condition<GenericKubernetesResource, ThreadPoolProxy> {
    private volatile Boolean installed;

    @Override
    public boolean isMet(
        DependentResource<GenericKubernetesResource, ThreadPoolProxy> dependent,
        ThreadPoolProxy tpp,
        Context<ThreadPoolProxy> context) {
      if (installed == null) {
        installed =
            context.getClient().apiextensions().v1().customResourceDefinitions()
                .withName("scaledobjects.keda.sh").get() != null;
      }
      return installed;
    }
  }
}
