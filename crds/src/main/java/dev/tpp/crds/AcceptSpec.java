package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** How connections reach workers ({@code accept}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AcceptSpec {
  @JsonPropertyDescription(
      "One SO_REUSEPORT listening socket per worker (the kernel spreads connections) instead of one"
          + " shared acceptor.")
  @Default("true")
  public Boolean reusePort;
}
