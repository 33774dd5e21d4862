package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * Request-head limits ({@code http}): 414 past maxRequestLine, 431 past maxHeaderSize, 408 past
 * headerTimeout.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpSpec {
  @JsonPropertyDescription("Time to receive the whole request head; then 408.")
  @Default("10s")
  @Pattern(ThreadPoolProxySpec.DURATION)
  public String headerTimeout;

  @JsonPropertyDescription("Longest request line in bytes; longer gets 414.")
  @Default("8192")
  @Min(1)
  public Integer maxRequestLine;

  @JsonPropertyDescription("Largest request header block in bytes; larger gets 431.")
  @Default("16384")
  @Min(1)
  public Integer maxHeaderSize;
}
