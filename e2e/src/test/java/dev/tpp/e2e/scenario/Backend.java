package dev.tpp.e2e.scenario;

import dev.tpp.e2e.cluster.E2ECluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP backend as a user would deploy one: a plain Deployment (not a ThreadPoolProxy) behind a
 * real Service, whose EndpointSlices the controller-manager maintains. Its pods are tpp proxies
 * (the only image the node agent runs) answering {@code GET /} from a {@code return} route; each
 * pod counts what it served in its own {@code tpp_http_requests_total{route="/",status="200"}},
 * read from its admin port, which is how the scenarios see which pod got which share of the
 * requests a proxy in front balanced.
 */
final class Backend {
  private static final Pattern SERVED =
      Pattern.compile("(?m)^tpp_http_requests_total\\{route=\"/\",status=\"200\"} (\\S+)$");

  private final KubernetesClient client;
  private final String namespace;
  final String name;

  Backend(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  /**
   * ConfigMap, Deployment ({@code replicas} pods, readiness on {@code /readyz}) and Service port
   * 8080 "http".
   */
  String yaml(int replicas) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %1$s-config}
        data:
          proxy.yaml: |
            listen: {address: 0.0.0.0, port: 8080}
            admin: {address: 0.0.0.0, port: 9090}
            workers: 1
            shutdownTimeout: 10s
            routes:
              - {path: /, return: {status: 200, body: "backend\\n"}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %1$s}
        spec:
          replicas: %2$d
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s}}
            spec:
              terminationGracePeriodSeconds: 15
              containers:
                - name: tpp-proxy
                  image: ghcr.io/tpp/tpp-proxy:latest
                  args: [--config, /etc/backend/proxy.yaml]
                  ports: [{name: http, containerPort: 8080}, {name: admin, containerPort: 9090}]
                  readinessProbe: {httpGet: {path: /readyz, port: admin}, periodSeconds: 1}
                  volumeMounts: [{name: config, mountPath: /etc/backend}]
              volumes: [{name: config, configMap: {name: %1$s-config}}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: %1$s}
        spec:
          selector: {app: %1$s}
          ports: [{name: http, port: 8080, targetPort: http}]
        """
        .formatted(name, replicas);
  }

  /** The Deployment's pods that are not being deleted, by name. */
  List<Pod> pods() {
    return client.pods().inNamespace(namespace).withLabel("app", name).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .toList();
  }

  List<Pod> readyPods() {
    return pods().stream().filter(Backend::ready).toList();
  }

  static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * Requests {@code pod} answered 200 on {@code /}, from its own metrics; -1 when its admin port
   * does not answer.
   */
  static long served(Pod pod) {
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    if (ip == null) {
      return -1;
    }
    E2ECluster.Reply reply = E2ECluster.httpGet("http://" + ip + ":9090/metrics");
    if (reply.status() != 200) {
      return -1;
    }
    Matcher m = SERVED.matcher(reply.body());
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }

  /** {@link #served(Pod)} of each given pod, by pod name. */
  static Map<String, Long> served(List<Pod> pods) {
    Map<String, Long> counts = new TreeMap<>();
    pods.forEach(p -> counts.put(p.getMetadata().getName(), served(p)));
    return counts;
  }

  /** Per pod: {@code after - before} (a pod missing from {@code before} counts from 0). */
  static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> d = new TreeMap<>();
    after.forEach((pod, n) -> d.put(pod, n - Math.max(0, before.getOrDefault(pod, 0L))));
    return d;
  }
}
