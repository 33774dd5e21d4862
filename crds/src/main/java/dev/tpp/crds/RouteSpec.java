package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tpp.config.Limits;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One route ({@code routes[]}): a host and path prefix, and exactly one handler. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "[has(self.files), has(self.thumbnail), has(self.__return__), has(self.upstream)]"
            + ".filter(x, x).size() == 1",
    message = "exactly one of files, thumbnail, return and upstream must be set")
public class RouteSpec {
  @JsonPropertyDescription("Label of the route's metrics; when absent, the path.")
  @Size(max = 63)
  public String name;

  @JsonPropertyDescription("Path prefix the request path must start with.")
  @Required
  @Size(min = 1, max = 1024)
  @Pattern("^/")
  public String path;

  @JsonPropertyDescription("\"*\" (any host) or an exact host name.")
  @Default("\"*\"")
  @Size(max = 253)
  public String host;

  @JsonPropertyDescription("false skips WAF inspection for this route.")
  @Default("true")
  public Boolean waf;

  @JsonPropertyDescription("Serve files under root; open() and read() run in the pool.")
  public Files files;

  @JsonPropertyDescription(
      "Scale images under root to fit width x height; the work runs in the pool.")
  public Thumbnail thumbnail;

  @JsonPropertyDescription("A fixed response.")
  @JsonProperty("return")
  public Return returnResponse;

  @JsonPropertyDescription("Proxy to this upstream (a name in upstreams[]).")
  @Size(max = 63)
  public String upstream;

  /** Serves files under root; open() and read() run in pool. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Files {
    @JsonPropertyDescription(
        "Directory served; the request path after the prefix is resolved under it.")
    @Required
    @Size(min = 1, max = 1024)
    public String root;

    @JsonPropertyDescription("Pool that runs open() and read() (a name in pools[]).")
    @Required
    @Size(max = 63)
    public String pool;
  }

  /** Scales images under root to fit width x height, in pool. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Thumbnail {
    @JsonPropertyDescription("Directory of the source images.")
    @Required
    @Size(min = 1, max = 1024)
    public String root;

    @JsonPropertyDescription("Largest width of a thumbnail in pixels.")
    @Required
    @Min(1)
    @Max(Limits.MAX_THUMBNAIL_SIDE)
    public Integer width;

    @JsonPropertyDescription("Largest height of a thumbnail in pixels.")
    @Required
    @Min(1)
    @Max(Limits.MAX_THUMBNAIL_SIDE)
    public Integer height;

    @JsonPropertyDescription("Pool that decodes and scales (a name in pools[]).")
    @Required
    @Size(max = 63)
    public String pool;
  }

  /** A fixed response. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Return {
    @JsonPropertyDescription("HTTP status code.")
    @Required
    @Min(100)
    @Max(599)
    public Integer status;

    @JsonPropertyDescription("Response body.")
    @Size(max = 65536)
    public String body;
  }
}
