package dev.tpp.operator.model;

import dev.tpp.config.EndpointsFile;
import dev.tpp.crds.ThreadPoolProxy;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;

/**
 * Names and labels of the objects the operator owns per ThreadPoolProxy (fixed by the contract).
 * Pure.
 */
public final class Names {
  public static final String CONFIG_KEY = "proxy.yaml";

  /**
   * The endpoints file's key, mounted beside proxy.yaml (the proxy reads {@code endpoints.yaml}
   * there).
   */
  public static final String ENDPOINTS_KEY = EndpointsFile.FILE_NAME;

  public static final String CONFIG_DIR = "/etc/tpp";
  public static final String RULES_DIR = "/etc/tpp-rules";

  /**
   * Parent of the spec.tls Secret mounts: nested in the config volume's mount, as the kubelet
   * allows.
   */
  public static final String TLS_DIR = CONFIG_DIR + "/tls";

  public static final String MANAGED_BY = "tpp-operator";

  /** The label naming the ThreadPoolProxy an object or pod belongs to. */
  public static final String INSTANCE_LABEL = "app.kubernetes.io/instance";

  /**
   * The label selector of every informer on owned objects and pods: the operator caches only what
   * it manages, never every ConfigMap, Service, Deployment or Pod of the cluster.
   */
  public static final String MANAGED_BY_SELECTOR = "app.kubernetes.io/managed-by=" + MANAGED_BY;

  private Names() {}

  /** ConfigMap holding proxy.yaml: {@code NAME-config}. */
  public static String configMap(ThreadPoolProxy tpp) {
    return tpp.getMetadata().getName() + "-config";
  }

  /**
   * ConfigMap holding the ready endpoints of the Services the upstreams name: {@code
   * NAME-endpoints}.
   */
  public static String endpointsConfigMap(ThreadPoolProxy tpp) {
    return tpp.getMetadata().getName() + "-endpoints";
  }

  /** The headless Service of the admin ports, apart from data traffic: {@code NAME-metrics}. */
  public static String metricsService(ThreadPoolProxy tpp) {
    return tpp.getMetadata().getName() + "-metrics";
  }

  /** Deployment, Service, PodDisruptionBudget and ScaledObject share the resource's own name. */
  public static String workload(ThreadPoolProxy tpp) {
    return tpp.getMetadata().getName();
  }

  /** Where a rule ConfigMap is mounted in the pod. */
  public static String ruleDir(String configMapName) {
    return RULES_DIR + "/" + configMapName;
  }

  /** Where a spec.tls Secret is mounted in the pod ({@code tls.crt} and {@code tls.key} inside). */
  public static String tlsDir(String secretName) {
    return TLS_DIR + "/" + secretName;
  }

  /** Labels that select this resource's pods (stable for the life of the Deployment). */
  public static Map<String, String> selectorLabels(ThreadPoolProxy tpp) {
    return Map.of(
        "app.kubernetes.io/name", "threadpoolproxy", INSTANCE_LABEL, tpp.getMetadata().getName());
  }

  /** Labels on every owned object: the selector labels plus managed-by. */
  public static Map<String, String> labels(ThreadPoolProxy tpp) {
    return Map.of(
        "app.kubernetes.io/name",
        "threadpoolproxy",
        INSTANCE_LABEL,
        tpp.getMetadata().getName(),
        "app.kubernetes.io/managed-by",
        MANAGED_BY);
  }

  /** Metadata of an owned object: its name, the resource's namespace, the common labels. */
  public static ObjectMeta metadata(ThreadPoolProxy tpp, String name) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(tpp.getMetadata().getNamespace())
        .withLabels(labels(tpp))
        .build();
  }

  /** The selector as a string, for status.selector and the scale subresource. */
  public static String selector(ThreadPoolProxy tpp) {
    return "app.kubernetes.io/instance="
        + tpp.getMetadata().getName()
        + ",app.kubernetes.io/name=threadpoolproxy";
  }
}
