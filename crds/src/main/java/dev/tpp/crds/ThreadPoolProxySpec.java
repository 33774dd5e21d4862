package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tpp.config.Limits;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;

/**
 * The desired fleet: every {@code proxy.yaml} field under its own name (absent = the proxy's
 * default), plus what only Kubernetes needs ({@code replicas}, {@code image}, {@code resources},
 * {@code pod}, {@code service}, {@code podDisruptionBudget}, {@code autoscaling}). Cross-field
 * rules are CEL rules checked by the API server; the operator then runs the proxy's own validator
 * on the rendered file.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.pools) || self.pools.all(p, self.pools.exists_one(q, q.name == p.name))",
    message = "pools[].name must be unique")
@ValidationRule(
    value =
        "!has(self.upstreams) || self.upstreams.all(u, self.upstreams.exists_one(v, v.name == u.name))",
    message = "upstreams[].name must be unique")
@ValidationRule(
    value =
        "!has(self.routes) || self.routes.all(r, (!has(r.files) || (has(self.pools) && self.pools.exists(p,"
            + " p.name == r.files.pool))) && (!has(r.thumbnail) || (has(self.pools) && self.pools.exists(p, p.name =="
            + " r.thumbnail.pool))))",
    message = "routes[].files.pool and routes[].thumbnail.pool must name a pool in pools[]")
@ValidationRule(
    value =
        "!has(self.routes) || self.routes.all(r, !has(r.upstream) || (has(self.upstreams) &&"
            + " self.upstreams.exists(u, u.name == r.upstream)))",
    message = "routes[].upstream must name an upstream in upstreams[]")
@ValidationRule(
    value =
        "!has(self.waf) || !has(self.waf.pool) || (has(self.pools) && self.pools.exists(p, p.name =="
            + " self.waf.pool))",
    message = "waf.pool must name a pool in pools[]")
@ValidationRule(
    value =
        "!has(self.tls) || self.tls.all(t, self.tls.exists_one(u, u.secretName == t.secretName))",
    message = "tls[].secretName must be unique")
public class ThreadPoolProxySpec {
  /**
   * The proxy's duration syntax ({@code dev.tpp.config.Durations}): 250ms, 20s, 1m30s, 500us, or 0.
   */
  public static final String DURATION = "^(0|([0-9]+(\\.[0-9]+)?(h|ms|us|ns|m|s))+)$";

  /**
   * The proxy's size syntax ({@code dev.tpp.config.Quantities}): 1024, 64Ki, 1Mi, 1.5Mi, 1G, 1e6.
   */
  public static final String QUANTITY =
      "^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|[eE][0-9]{1,2})?$";

  @JsonPropertyDescription(
      "Pods; owned by the scale subresource (and the autoscaler when enabled).")
  @Default("1")
  @SpecReplicas
  @Min(0)
  public Integer replicas;

  @JsonPropertyDescription("Proxy container image. Default: the operator's TPP_PROXY_IMAGE.")
  @Size(max = 512)
  public String image;

  @JsonPropertyDescription("Compute resources of the proxy container.")
  public ResourceRequirements resources;

  @JsonPropertyDescription(
      "Placement and metadata of the proxy pods and their preStop delay; a change rolls the"
          + " pods, never the config hash.")
  public ProxyPodSpec pod;

  @JsonPropertyDescription(
      "The data Service NAME: type, annotations, externalTrafficPolicy, loadBalancerClass. The"
          + " admin port is on the separate Service NAME-metrics.")
  public ServiceSpec service;

  @JsonPropertyDescription(
      "The PodDisruptionBudget NAME (while replicas > 1): minAvailable or maxUnavailable"
          + " (default maxUnavailable 1).")
  public DisruptionBudgetSpec podDisruptionBudget;

  @JsonPropertyDescription(
      "Scale replicas on event-loop block time (and pool queue wait), by the operator or by KEDA.")
  public AutoscalingSpec autoscaling;

  @JsonPropertyDescription("Data port listener (the Service maps port 80 to it).")
  public ListenSpec listen;

  @JsonPropertyDescription(
      "Admin port listener: /metrics, /healthz, /readyz, /config (never the data port).")
  public ListenerSpec admin;

  @JsonPropertyDescription(
      "Event-loop threads; when absent, one per available processor (at most 256).")
  @Min(1)
  @Max(Limits.MAX_WORKERS)
  public Integer workers;

  @JsonPropertyDescription("How connections reach the workers.")
  public AcceptSpec accept;

  @JsonPropertyDescription("Client keep-alive.")
  public KeepaliveSpec keepalive;

  @JsonPropertyDescription("Request-head limits.")
  public HttpSpec http;

  @JsonPropertyDescription("On SIGTERM, finish in-flight requests for at most this long.")
  @Default("30s")
  @Pattern(DURATION)
  public String shutdownTimeout;

  @JsonPropertyDescription(
      "Named bounded offload thread pools (nginx thread_pool); a list keyed on name.")
  @Size(max = 32)
  public List<PoolSpec> pools;

  @JsonPropertyDescription("Named groups of origin endpoints; a list keyed on name.")
  @Size(max = 64)
  public List<UpstreamSpec> upstreams;

  @JsonPropertyDescription("Routes, in order: the first match wins (host, then path prefix).")
  @Size(max = 128)
  public List<RouteSpec> routes;

  @JsonPropertyDescription(
      "The WAF: ModSecurity SecLang rules inline, from files in the image, or from ConfigMaps.")
  public WafSpec waf;

  @JsonPropertyDescription(
      "TLS certificates from kubernetes.io/tls Secrets: the operator adds the https listener on"
          + " 8443 (Service port 443 named https), mounts each Secret read-only and adds pool tls when pools has none.")
  @Size(max = 32)
  public List<TlsSpec> tls;
}
