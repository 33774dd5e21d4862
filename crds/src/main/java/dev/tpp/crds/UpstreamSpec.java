package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** A named group of origin endpoints ({@code upstreams[]}): literal endpoints, or a Service in this namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.endpoints) != has(self.service)",
    message = "exactly one of endpoints and service must be set")
public class UpstreamSpec {
  @Required
  @Size(min = 1, max = 63)
  @Pattern(ThreadPoolProxySpec.NAME)
  public String name;

  @JsonPropertyDescription("host:port entries.")
  @Size(min = 1, max = 64)
  public List<String> endpoints;

  @JsonPropertyDescription("A Service in this namespace; resolved to NAME.NAMESPACE.svc.cluster.local:PORT.")
  public ServiceRef service;

  @JsonPropertyDescription("Idle connections kept per worker; 0 = a new connection per request.")
  @Min(0)
  public Integer keepaliveConnections;

  @Pattern(ThreadPoolProxySpec.DURATION)
  public String connectTimeout;

  @Pattern(ThreadPoolProxySpec.DURATION)
  public String responseTimeout;

  /** A Service name and port. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ServiceRef {
    @Required
    @Size(min = 1, max = 63)
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    public String name;

    @Required
    @Min(1)
    @Max(65535)
    public Integer port;
  }
}
