package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One route ({@code routes[]}): a host and path prefix, and exactly one handler. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "[has(self.files), has(self.thumbnail), has(self.__return__), has(self.upstream)]"
        + ".filter(x, x).size() == 1",
    message = "exactly one of files, thumbnail, return and upstream must be set")
public class RouteSpec {
  @JsonPropertyDescription("Metrics label; defaults to the path.")
  @Size(max = 63)
  public String name;

  @JsonPropertyDescription("Path prefix.")
  @Required
  @Size(min = 1, max = 1024)
  @Pattern("^/")
  public String path;

  @JsonPropertyDescription("\"*\" (default) or an exact host name.")
  @Size(max = 253)
  public String host;

  @JsonPropertyDescription("false skips WAF inspection for this route.")
  public Boolean waf;

  public Files files;

  public Thumbnail thumbnail;

  @JsonProperty("return")
  public Return returnResponse;

  @JsonPropertyDescription("Name of an upstream in upstreams[].")
  @Size(max = 63)
  public String upstream;

  /** Serves files under root; open() and read() run in pool. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Files {
    @Required
    @Size(min = 1, max = 1024)
    public String root;

    @Required
    @Size(max = 63)
    public String pool;
  }

  /** Scales images under root to fit width x height, in pool. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Thumbnail {
    @Required
    @Size(min = 1, max = 1024)
    public String root;

    @Required
    @Min(1)
    @Max(4096)
    public Integer width;

    @Required
    @Min(1)
    @Max(4096)
    public Integer height;

    @Required
    @Size(max = 63)
    public String pool;
  }

  /** A fixed response. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Return {
    @Required
    @Min(100)
    @Max(599)
    public Integer status;

    @Size(max = 65536)
    public String body;
  }
}
