package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Client keepalive ({@code keepalive}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeepaliveSpec {
  @JsonPropertyDescription("Close a client connection idle this long.")
  @Default("60s")
  @Pattern(ThreadPoolProxySpec.DURATION)
  public String idleTimeout;

  @JsonPropertyDescription(
      "0 = unlimited; N closes a connection after N requests (re-balances clients across workers).")
  @Default("0")
  @Min(0)
  public Integer maxRequestsPerConnection;
}
