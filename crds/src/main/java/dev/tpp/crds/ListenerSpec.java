package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;

/** An address and port ({@code listen}, {@code admin}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ListenerSpec {
  @Size(max = 253)
  public String address;

  @Min(1)
  @Max(65535)
  public Integer port;

  public ListenerSpec() {}

  public ListenerSpec(String address, Integer port) {
    this.address = address;
    this.port = port;
  }
}
