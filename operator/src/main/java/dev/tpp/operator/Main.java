package dev.tpp.operator;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.autoscale.Autoscaler;
import dev.tpp.operator.autoscale.HttpPodScraper;
import dev.tpp.operator.dependent.OperatorSettings;
import dev.tpp.operator.status.FleetObserver;
import dev.tpp.operator.status.StatusMetrics;
import dev.tpp.operator.validation.RuleCompiler;
import dev.tpp.operator.validation.SpecValidator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Starts the operator: KUBECONFIG or in-cluster config, {@code WATCH_NAMESPACES} (comma list, empty
 * = all), a Lease for leader election ({@code OPERATOR_NAMESPACE}, default the client's namespace),
 * and /metrics + /healthz on port {@code METRICS_PORT} (8081).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> env = System.getenv();
    KubernetesClient client = new KubernetesClientBuilder().build();
    PrometheusMeterRegistry registry = OperatorMetrics.registry();
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withMetrics(OperatorMetrics.josdk(registry))
                    .withLeaderElectionConfiguration(
                        new LeaderElectionConfiguration(
                            "tpp-operator",
                            leaseNamespace(env.get("OPERATOR_NAMESPACE"), client.getNamespace()))));
    operator.register(
        reconciler(OperatorSettings.fromEnv(env), registry),
        c -> watch(c, env.get("WATCH_NAMESPACES")));
    int port = Integer.parseInt(env.getOrDefault("METRICS_PORT", "8081"));
    OperatorHttpServer.start(port, registry, operator);
    operator.installShutdownHook(Duration.ofSeconds(10));
    operator.start();
  }

  /**
   * The reconciler wired with the real validator (the proxy's ConfigLoader and WafEngine) and pod
   * scraper; its status gauges go to {@code registry}, the one /metrics serves.
   */
  static ThreadPoolProxyReconciler reconciler(OperatorSettings settings, MeterRegistry registry) {
    return new ThreadPoolProxyReconciler(
        new SpecValidator(RuleCompiler.WAF_ENGINE),
        new FleetObserver(new HttpPodScraper(Duration.ofSeconds(2)), new Autoscaler()),
        settings,
        new StatusMetrics(registry));
  }

  private static void watch(ControllerConfigurationOverrider<ThreadPoolProxy> c, String list) {
    Set<String> namespaces = namespaces(list);
    if (namespaces.isEmpty()) {
      c.watchingAllNamespaces();
    } else {
      c.settingNamespaces(namespaces);
    }
  }

  /**
   * The Lease's namespace: OPERATOR_NAMESPACE, else the client's (in-cluster: the pod's), else
   * "default".
   */
  static String leaseNamespace(String configured, String clientNamespace) {
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    return clientNamespace != null ? clientNamespace : "default";
  }

  /** {@code WATCH_NAMESPACES}: comma list, blanks ignored; empty = all namespaces. */
  static Set<String> namespaces(String list) {
    return list == null
        ? Set.of()
        : Arrays.stream(list.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
  }
}
