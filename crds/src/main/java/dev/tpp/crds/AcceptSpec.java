package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How connections reach workers ({@code accept}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AcceptSpec {
  @JsonPropertyDescription("One SO_REUSEPORT listening socket per worker instead of one shared acceptor.")
  public Boolean reusePort;
}
