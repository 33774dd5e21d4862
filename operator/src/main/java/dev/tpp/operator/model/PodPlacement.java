package dev.tpp.operator.model;

import dev.tpp.config.Durations;
import dev.tpp.crds.ProxyPodSpec;
import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.crds.ThreadPoolProxySpec;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code spec.pod} adds to the pod template: metadata merged under the operator's own,
 * placement (node selector, tolerations, affinity, topology spread) and the preStop delay with a
 * grace period that covers it and the drain. Pure; all of it is pod-template input, none of it
 * reaches proxy.yaml or the config hash.
 */
final class PodPlacement {
  /** The CRD's default for {@code spec.pod.preStopDelay}. */
  static final Duration DEFAULT_PRE_STOP = Duration.ofSeconds(5);

  private static final Duration DEFAULT_SHUTDOWN = Duration.ofSeconds(30);

  /** Between the drain's end and SIGKILL: the JVM's own exit. */
  private static final long MARGIN_SECONDS = 5;

  private PodPlacement() {}

  private static ProxyPodSpec pod(ThreadPoolProxySpec spec) {
    return spec.pod == null ? new ProxyPodSpec() : spec.pod;
  }

  /**
   * {@code spec.pod.labels} under the operator's labels (which win: the selector must keep
   * matching).
   */
  static Map<String, String> labels(ThreadPoolProxy tpp, ThreadPoolProxySpec spec) {
    return merged(pod(spec).labels, Names.labels(tpp));
  }

  /** {@code spec.pod.annotations} under the operator's own ({@code own} wins). */
  static Map<String, String> annotations(ThreadPoolProxySpec spec, Map<String, String> own) {
    return merged(pod(spec).annotations, own);
  }

  private static Map<String, String> merged(Map<String, String> user, Map<String, String> own) {
    Map<String, String> all = new TreeMap<>(user == null ? Map.of() : user);
    all.putAll(own);
    return new LinkedHashMap<>(all);
  }

  /** Node selector, tolerations, affinity and topology spread onto {@code pod}. */
  static void place(ThreadPoolProxy tpp, ThreadPoolProxySpec spec, PodSpecBuilder pod) {
    ProxyPodSpec p = pod(spec);
    pod.withNodeSelector(p.nodeSelector)
        .withTolerations(p.tolerations)
        .withAffinity(p.affinity)
        .withTopologySpreadConstraints(topologySpread(tpp, p.topologySpreadConstraints));
  }

  /**
   * The constraints, each without a labelSelector given the fleet's selector labels (what it almost
   * always means).
   */
  static List<TopologySpreadConstraint> topologySpread(
      ThreadPoolProxy tpp, List<TopologySpreadConstraint> given) {
    if (given == null) {
      return null;
    }
    return given.stream()
        .map(
            c ->
                c.getLabelSelector() != null
                    ? c
                    : new TopologySpreadConstraintBuilder(c)
                        .withNewLabelSelector()
                        .withMatchLabels(Names.selectorLabels(tpp))
                        .endLabelSelector()
                        .build())
        .toList();
  }

  /**
   * A preStop sleep of {@code spec.pod.preStopDelay} (none when 0): the pod keeps serving while it
   * leaves the Service.
   */
  static Lifecycle lifecycle(ThreadPoolProxySpec spec) {
    long seconds = preStopSeconds(spec);
    return seconds == 0
        ? null
        : new LifecycleBuilder()
            .withNewPreStop()
            .withNewSleep()
            .withSeconds(seconds)
            .endSleep()
            .endPreStop()
            .build();
  }

  /**
   * preStop delay + shutdownTimeout (the proxy's drain after SIGTERM) + a margin: the drain is
   * never cut short.
   */
  static long gracePeriodSeconds(ThreadPoolProxySpec spec) {
    Duration shutdown =
        spec.shutdownTimeout == null ? DEFAULT_SHUTDOWN : Durations.parse(spec.shutdownTimeout);
    return preStopSeconds(spec) + ceilSeconds(shutdown) + MARGIN_SECONDS;
  }

  private static long preStopSeconds(ThreadPoolProxySpec spec) {
    String delay = pod(spec).preStopDelay;
    return ceilSeconds(delay == null ? DEFAULT_PRE_STOP : Durations.parse(delay));
  }

  private static long ceilSeconds(Duration d) {
    return (long) Math.ceil(d.toMillis() / 1000.0);
  }
}
