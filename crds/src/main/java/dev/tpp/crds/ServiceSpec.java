package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/**
 * The data Service {@code NAME} ({@code spec.service}), in the spirit of Envoy Gateway's
 * EnvoyProxy: its type and the fields a cloud load balancer reads. None of it reaches the pods or
 * the config hash.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.externalTrafficPolicy) || (has(self.type) && self.type != 'ClusterIP')",
    message = "externalTrafficPolicy needs type NodePort or LoadBalancer")
@ValidationRule(
    value = "!has(self.loadBalancerClass) || (has(self.type) && self.type == 'LoadBalancer')",
    message = "loadBalancerClass needs type LoadBalancer")
public class ServiceSpec {
  @JsonPropertyDescription("ClusterIP, NodePort, or LoadBalancer (an edge proxy usually is one).")
  @Default("ClusterIP")
  public Type type;

  @JsonPropertyDescription(
      "Annotations on the Service, e.g. for a cloud load balancer"
          + " (service.beta.kubernetes.io/aws-load-balancer-type: nlb).")
  @Size(max = 64)
  public Map<String, String> annotations;

  @JsonPropertyDescription(
      "Cluster: any node forwards to any pod; Local: only to pods on that node, keeping the"
          + " client's source address (NodePort and LoadBalancer only).")
  public TrafficPolicy externalTrafficPolicy;

  @JsonPropertyDescription(
      "The load balancer implementation to use (LoadBalancer only; Kubernetes makes it"
          + " immutable once set).")
  @Size(max = 253)
  public String loadBalancerClass;

  /** Kubernetes Service types the proxy supports (not ExternalName). */
  public enum Type {
    ClusterIP,
    NodePort,
    LoadBalancer
  }

  /** Service.spec.externalTrafficPolicy. */
  public enum TrafficPolicy {
    Cluster,
    Local
  }
}
