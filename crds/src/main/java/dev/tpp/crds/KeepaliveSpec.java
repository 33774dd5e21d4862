package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Client keepalive ({@code keepalive}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeepaliveSpec {
  @Pattern(ThreadPoolProxySpec.DURATION)
  public String idleTimeout;

  @JsonPropertyDescription("0 = unlimited; N closes a connection after N requests.")
  @Min(0)
  public Integer maxRequestsPerConnection;
}
