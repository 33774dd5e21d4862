package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.List;
import java.util.Map;

/**
 * Placement and metadata of the proxy pods ({@code spec.pod}), in the spirit of Envoy Gateway's
 * EnvoyProxy. All of it is pod-template input: a change rolls the pods, and none of it reaches the
 * config hash.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProxyPodSpec {
  @JsonPropertyDescription(
      "Extra pod labels. The operator's app.kubernetes.io/name, instance and managed-by labels"
          + " win over labels of the same key.")
  @Size(max = 64)
  public Map<String, String> labels;

  @JsonPropertyDescription(
      "Extra pod annotations. The operator's prometheus.io/* annotations win over annotations of"
          + " the same key.")
  @Size(max = 64)
  public Map<String, String> annotations;

  @JsonPropertyDescription("Nodes the pods may run on, by node label.")
  @Size(max = 64)
  public Map<String, String> nodeSelector;

  @JsonPropertyDescription("Taints the pods tolerate (core/v1 Toleration).")
  @Size(max = 64)
  public List<Toleration> tolerations;

  @JsonPropertyDescription("Node and pod (anti-)affinity (core/v1 Affinity).")
  public Affinity affinity;

  @JsonPropertyDescription(
      "How the pods spread over zones or nodes (core/v1 TopologySpreadConstraint). A"
          + " constraint without labelSelector gets the fleet's selector labels.")
  @Size(max = 16)
  public List<TopologySpreadConstraint> topologySpreadConstraints;

  @JsonPropertyDescription(
      "A terminating pod keeps serving this long (a preStop sleep) before the proxy drains, so"
          + " Service endpoints and load balancers stop sending to it first. terminationGracePeriodSeconds ="
          + " preStopDelay + shutdownTimeout + 5s.")
  @Default("5s")
  @Pattern(ThreadPoolProxySpec.DURATION)
  public String preStopDelay;
}
