package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The WAF ({@code waf}): SecLang rules inline, from files in the image, or from ConfigMaps. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WafSpec {
  @JsonPropertyDescription("Inspect requests with the rules below.")
  @Default("false")
  public Boolean enabled;

  @JsonPropertyDescription("Pool that runs inspection (a name in pools[]); when absent, waf.")
  @Size(max = 63)
  public String pool;

  @JsonPropertyDescription("block: answer 403 (or the rule's status); detect: log and pass.")
  @Default("block")
  public Mode mode;

  @JsonPropertyDescription("Larger request bodies get 413.")
  @Default("1Mi")
  @Pattern(ThreadPoolProxySpec.QUANTITY)
  public String requestBodyLimit;

  @JsonPropertyDescription("Larger bodies are spooled to a file that the pool reads.")
  @Default("64Ki")
  @Pattern(ThreadPoolProxySpec.QUANTITY)
  public String inMemoryBodyLimit;

  @JsonPropertyDescription("An OWASP Core Rule Set installation inside the proxy image.")
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
    @JsonPropertyDescription("Load the CRS.")
    @Default("false")
    public Boolean enabled;

    @JsonPropertyDescription("CRS directory inside the image.")
    @Default("/usr/share/modsecurity-crs")
    @Size(max = 1024)
    public String path;

    @JsonPropertyDescription("CRS paranoia level (1-4).")
    @Default("1")
    @Min(1)
    @Max(4)
    public Integer paranoiaLevel;

    @JsonPropertyDescription("Inbound anomaly score that blocks.")
    @Default("5")
    @Min(1)
    public Integer anomalyThreshold;
  }
}
