package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The WAF ({@code waf}): SecLang rules inline, from files in the image, or from ConfigMaps. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WafSpec {
  public Boolean enabled;

  @JsonPropertyDescription("Pool that runs inspection.")
  @Size(max = 63)
  public String pool;

  public Mode mode;

  @JsonPropertyDescription("Larger bodies get 413, e.g. 1Mi.")
  @Pattern(ThreadPoolProxySpec.QUANTITY)
  public String requestBodyLimit;

  @JsonPropertyDescription("Larger bodies are spooled to a file, e.g. 64Ki.")
  @Pattern(ThreadPoolProxySpec.QUANTITY)
  public String inMemoryBodyLimit;

  public Crs crs;

  @JsonPropertyDescription("SecLang files (globs) inside the proxy image.")
  @Size(max = 64)
  public List<String> ruleFiles;

  @JsonPropertyDescription("ConfigMaps in this namespace whose *.conf keys are SecLang rule files.")
  @Size(max = 16)
  public List<String> ruleConfigMaps;

  @JsonPropertyDescription("ModSecurity SecLang rules, inline.")
  @Size(max = 262144)
  public String rules;

  /** block answers 403 (or the rule's status); detect logs and passes. */
  public enum Mode {
    block,
    detect
  }

  /** An OWASP CRS installation inside the proxy image. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Crs {
    public Boolean enabled;

    @Size(max = 1024)
    public String path;

    @Min(1)
    @Max(4)
    public Integer paranoiaLevel;

    @Min(1)
    public Integer anomalyThreshold;
  }
}
