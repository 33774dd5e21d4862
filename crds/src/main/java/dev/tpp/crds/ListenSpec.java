package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * The data port listener ({@code listen}): an address and port, and an optional redirect of plain
 * HTTP to https.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ListenSpec extends ListenerSpec {
  @JsonPropertyDescription(
      "Answer plain HTTP requests with 308 to https://HOST:PORT (the port left out when 443; with"
          + " spec.tls, 443 is the Service's https port). 0: serve them.")
  @Default("0")
  @Min(0)
  @Max(65535)
  public Integer redirectToHttps;

  public ListenSpec() {}

  public ListenSpec(String address, Integer port) {
    super(address, port);
  }
}
