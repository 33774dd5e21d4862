package dev.tpp.e2e.scenario;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a ThreadPoolProxy and its pods through the generic client (the e2e module does not link the
 * model).
 */
final class Tpp {
  private final KubernetesClient client;
  final String namespace;
  final String name;

  Tpp(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  GenericKubernetesResource get() {
    return client
        .genericKubernetesResources("tpp.dev/v1alpha1", "ThreadPoolProxy")
        .inNamespace(namespace)
        .withName(name)
        .get();
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> status() {
    GenericKubernetesResource r = get();
    Object status = r == null ? null : r.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  Optional<Map<String, Object>> condition(String type) {
    Object list = status().get("conditions");
    if (!(list instanceof List<?> conditions)) {
      return Optional.empty();
    }
    return conditions.stream()
        .map(c -> (Map<String, Object>) c)
        .filter(c -> type.equals(c.get("type")))
        .findFirst();
  }

  boolean conditionIs(String type, String value) {
    return condition(type).map(c -> value.equals(c.get("status"))).orElse(false);
  }

  List<Pod> pods() {
    return client
        .pods()
        .inNamespace(namespace)
        .withLabel("app.kubernetes.io/instance", name)
        .list()
        .getItems();
  }

  List<Pod> readyPods() {
    return pods().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> p.getStatus() != null && p.getStatus().getConditions() != null)
        .filter(
            p ->
                p.getStatus().getConditions().stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
        .toList();
  }

  String configMapData() {
    var cm = client.configMaps().inNamespace(namespace).withName(name + "-config").get();
    return cm == null ? null : cm.getData().get("proxy.yaml");
  }
}
