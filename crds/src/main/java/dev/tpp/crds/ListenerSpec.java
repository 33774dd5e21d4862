package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;

/** An address and port ({@code listen}, {@code admin}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ListenerSpec {
  @JsonPropertyDescription("IP address to bind.")
  @Default("0.0.0.0")
  @Size(max = 253)
  public String address;

  @JsonPropertyDescription("TCP port; when absent 8080 for listen, 9090 for admin.")
  @Min(1)
  @Max(65535)
  public Integer port;

  public ListenerSpec() {}

  public ListenerSpec(String address, Integer port) {
    this.address = address;
    this.port = port;
  }
}
