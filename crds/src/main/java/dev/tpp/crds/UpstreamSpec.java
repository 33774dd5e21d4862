package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tpp.config.Limits;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * A named group of origin endpoints ({@code upstreams[]}): literal endpoints, or a Service in this
 * namespace.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.endpoints) != has(self.service)",
    message = "exactly one of endpoints and service must be set")
public class UpstreamSpec {
  @JsonPropertyDescription("Upstream name, referenced by routes[].upstream; unique.")
  @Required
  @Size(min = 1, max = 63)
  @Pattern(Limits.NAME)
  public String name;

  @JsonPropertyDescription("host:port entries (exactly one of endpoints and service).")
  @Size(min = 1, max = 64)
  public List<String> endpoints;

  @JsonPropertyDescription(
      "A Service in this namespace, balanced over its ready EndpointSlice endpoints (exactly one of"
          + " endpoints and service).")
  public ServiceRef service;

  @JsonPropertyDescription(
      "Idle connections kept per endpoint and worker; 0 = a new connection per request.")
  @Default("32")
  @Min(0)
  @Max(Limits.MAX_KEEPALIVE_CONNECTIONS)
  public Integer keepaliveConnections;

  @JsonPropertyDescription("Give up connecting to an endpoint after this long (502).")
  @Default("5s")
  @Pattern(ThreadPoolProxySpec.DURATION)
  public String connectTimeout;

  @JsonPropertyDescription("Give up waiting for the response head after this long (504).")
  @Default("60s")
  @Pattern(ThreadPoolProxySpec.DURATION)
  public String responseTimeout;

  @JsonPropertyDescription(
      "roundRobin, leastRequest (power of two choices), or hash (with hashOn).")
  @Default("roundRobin")
  public LoadBalancing loadBalancing;

  @JsonPropertyDescription(
      "What hash balancing hashes: {header: NAME} or {cookie: NAME}; only with hash.")
  public HashOn hashOn;

  @JsonPropertyDescription("DNS names are re-resolved this often; 0 = once, at load.")
  @Default("30s")
  @Pattern(ThreadPoolProxySpec.DURATION)
  public String resolveEvery;

  @JsonPropertyDescription(
      "Passive health: eject an endpoint after consecutive connect errors or 5xx.")
  public OutlierDetection outlierDetection;

  /** How a request picks its endpoint. */
  public enum LoadBalancing {
    roundRobin,
    leastRequest,
    hash
  }

  /** A request header or cookie, by name. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.header) != has(self.cookie)",
      message = "exactly one of header and cookie")
  public static class HashOn {
    @JsonPropertyDescription("Hash this request header's value.")
    @Size(min = 1, max = 256)
    public String header;

    @JsonPropertyDescription("Hash this cookie's value.")
    @Size(min = 1, max = 256)
    public String cookie;
  }

  /** Envoy-style consecutive-error ejection. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class OutlierDetection {
    @JsonPropertyDescription("Errors in a row (connect errors or 5xx) that eject an endpoint.")
    @Default("5")
    @Min(1)
    @Max(Limits.MAX_CONSECUTIVE_ERRORS)
    public Integer consecutiveErrors;

    @JsonPropertyDescription("First ejection time, growing with repeated ejections.")
    @Default("10s")
    @Pattern(ThreadPoolProxySpec.DURATION)
    public String baseEjectionTime;

    @JsonPropertyDescription("At most this share of the endpoints ejected at once.")
    @Default("50")
    @Min(0)
    @Max(100)
    public Integer maxEjectionPercent;
  }

  /** A Service name and port. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ServiceRef {
    @JsonPropertyDescription("Service name in this namespace.")
    @Required
    @Size(min = 1, max = 63)
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    public String name;

    @JsonPropertyDescription("Service port number.")
    @Required
    @Min(1)
    @Max(65535)
    public Integer port;
  }
}
