package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Request-head limits ({@code http}): 414 past maxRequestLine, 431 past maxHeaderSize, 408 past headerTimeout. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpSpec {
  @Pattern(ThreadPoolProxySpec.DURATION)
  public String headerTimeout;

  @Min(1)
  public Integer maxRequestLine;

  @Min(1)
  public Integer maxHeaderSize;
}
