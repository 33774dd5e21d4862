package dev.tpp.operator.validation;

import dev.tpp.config.ConfigError;
import dev.tpp.config.ConfigException;
import dev.tpp.config.ConfigHash;
import dev.tpp.config.ConfigLoader;
import dev.tpp.config.ConfigValidator;
import dev.tpp.config.ProxyConfig;
import dev.tpp.config.WafConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.crds.ThreadPoolProxySpec;
import dev.tpp.operator.model.AutoscalePolicy;
import dev.tpp.operator.model.Names;
import dev.tpp.operator.model.ProxyYamlRenderer;
import dev.tpp.waf.engine.WafCompileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operator's deep check, with the proxy's own code (one validator, not two): render proxy.yaml, load it with
 * {@link ConfigLoader}, compile its WAF rules. The checks that need the pod's file system (CRS directory, rule files
 * inside the image) cannot run here and are left to the proxy, which keeps its last good config if they fail.
 */
public final class SpecValidator {
  private static final Path POD_CONFIG_DIR = Path.of(Names.CONFIG_DIR);
  private static final ObjectMapper COPIER = new ObjectMapper();
  private final RuleCompiler compiler;

  public SpecValidator(RuleCompiler compiler) {
    this.compiler = compiler;
  }

  /**
   * Checks {@code tpp}. {@code ruleConfigMaps} maps each name in {@code spec.waf.ruleConfigMaps} to its data, or to
   * null when the ConfigMap does not exist.
   */
  public CheckedConfig check(ThreadPoolProxy tpp, Map<String, Map<String, String>> ruleConfigMaps)
      throws InvalidSpecException {
    List<String> scaling = AutoscalePolicy.errors(tpp);
    if (!scaling.isEmpty()) {
      throw new InvalidSpecException(scaling);
    }
    String yaml = ProxyYamlRenderer.render(tpp);
    ProxyConfig config = load(tpp, yaml);
    List<RuleCompiler.Source> sources = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<String> names = tpp.getSpec().waf == null ? null : tpp.getSpec().waf.ruleConfigMaps;
    for (int i = 0; names != null && i < names.size(); i++) {
      Map<String, String> data = ruleConfigMaps.get(names.get(i));
      if (data == null) {
        errors.add("spec.waf.ruleConfigMaps[" + i + "]: ConfigMap " + names.get(i) + " not found");
        continue;
      }
      String prefix = names.get(i) + "/";
      data.entrySet().stream()
          .filter(e -> e.getKey().endsWith(".conf"))
          .sorted(Map.Entry.comparingByKey())
          .forEach(e -> sources.add(new RuleCompiler.Source(prefix + e.getKey(), e.getValue())));
    }
    if (!errors.isEmpty()) {
      throw new InvalidSpecException(errors);
    }
    if (config.waf().enabled() && !config.waf().rules().isEmpty()) {
      sources.add(0, new RuleCompiler.Source("spec.waf.rules", config.waf().rules()));
    }
    if (config.waf().enabled() && !sources.isEmpty()) {
      try {
        compiler.compile(sources);
      } catch (WafCompileException e) {
        throw new InvalidSpecException(List.of("spec.waf: " + e.getMessage()));
      }
    }
    return new CheckedConfig(yaml, ConfigHash.of(config));
  }

  /** ConfigLoader.parse, minus the file-system checks that only a pod can make (see the class comment). */
  static ProxyConfig load(ThreadPoolProxy tpp, String yaml) throws InvalidSpecException {
    try {
      return ConfigLoader.parse(yaml, POD_CONFIG_DIR);
    } catch (ConfigException e) {
      List<ConfigError> real = e.errors().stream().filter(err -> !isFileCheck(err)).toList();
      if (!real.isEmpty()) {
        throw invalid(real);
      }
    }
    // Only pod-side file checks failed: load without the CRS and rule files, then put them back as the reader would.
    ThreadPoolProxySpec spec = COPIER.convertValue(tpp.getSpec(), ThreadPoolProxySpec.class);
    boolean crs = spec.waf.crs != null && Boolean.TRUE.equals(spec.waf.crs.enabled);
    if (crs) {
      spec.waf.crs.enabled = false;
    }
    spec.waf.ruleFiles = null;
    spec.waf.ruleConfigMaps = null;
    ThreadPoolProxy partial = new ThreadPoolProxy();
    partial.setMetadata(tpp.getMetadata());
    partial.setSpec(spec);
    ProxyConfig loaded;
    try {
      loaded = ConfigLoader.parse(ProxyYamlRenderer.render(partial), POD_CONFIG_DIR);
    } catch (ConfigException e) {
      throw invalid(e.errors());
    }
    WafConfig w = loaded.waf();
    List<String> files =
        ProxyYamlRenderer.ruleFiles(tpp.getSpec()).stream()
            .map(f -> POD_CONFIG_DIR.resolve(f).toAbsolutePath().normalize().toString())
            .toList();
    WafConfig.Crs c = w.crs();
    WafConfig waf =
        new WafConfig(
            w.enabled(), w.pool(), w.mode(), w.requestBodyLimit(), w.inMemoryBodyLimit(),
            new WafConfig.Crs(crs, c.path(), c.paranoiaLevel(), c.anomalyThreshold()), files, w.rules());
    ProxyConfig restored =
        new ProxyConfig(
            loaded.listen(), loaded.admin(), loaded.workers(), loaded.accept(), loaded.keepalive(), loaded.http(),
            loaded.shutdownTimeout(), loaded.pools(), loaded.upstreams(), loaded.routes(), waf);
    List<ConfigError> errors = ConfigValidator.validate(restored);
    if (!errors.isEmpty()) {
      throw invalid(errors);
    }
    return restored;
  }

  private static boolean isFileCheck(ConfigError error) {
    return error.path().equals("waf.crs.path") || error.path().startsWith("waf.ruleFiles[");
  }

  private static InvalidSpecException invalid(List<ConfigError> errors) {
    return new InvalidSpecException(errors.stream().map(e -> "spec." + e).toList());
  }
}
