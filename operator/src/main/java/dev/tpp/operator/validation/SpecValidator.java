package dev.tpp.operator.validation;

import dev.tpp.config.ConfigError;
import dev.tpp.config.ConfigException;
import dev.tpp.config.ConfigHash;
import dev.tpp.config.ConfigLoader;
import dev.tpp.config.ProxyConfig;
import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.model.AutoscalePolicy;
import dev.tpp.operator.model.HttpsListenerRenderer;
import dev.tpp.operator.model.Names;
import dev.tpp.operator.model.ProxyYamlRenderer;
import dev.tpp.waf.engine.WafCompileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operator's deep check, with the proxy's own code (one validator, not two): render proxy.yaml,
 * load it with {@link ConfigLoader}, compile its WAF rules, load the certificate pairs of its TLS
 * Secrets. The checks that need the pod's file system (CRS directory, rule files inside the image)
 * cannot run here and are left to the proxy, which keeps its last good config if they fail.
 */
public final class SpecValidator {
  private static final Path POD_CONFIG_DIR = Path.of(Names.CONFIG_DIR);
  private static final String HTTPS_LISTENER = "listeners[0]";
  private final RuleCompiler compiler;

  public SpecValidator(RuleCompiler compiler) {
    this.compiler = compiler;
  }

  /**
   * Checks {@code tpp} as if none of its {@code spec.tls} Secrets existed (for a spec without
   * spec.tls).
   */
  public CheckedConfig check(ThreadPoolProxy tpp, Map<String, Map<String, String>> ruleConfigMaps)
      throws InvalidSpecException {
    return check(tpp, ruleConfigMaps, Map.of());
  }

  /**
   * Checks {@code tpp}. {@code ruleConfigMaps} maps each name in {@code spec.waf.ruleConfigMaps} to
   * its data, or to null when the ConfigMap does not exist; {@code tlsSecrets} does the same for
   * the Secrets of {@code spec.tls} ({@link TlsSecrets#read}).
   */
  public CheckedConfig check(
      ThreadPoolProxy tpp,
      Map<String, Map<String, String>> ruleConfigMaps,
      Map<String, Map<String, String>> tlsSecrets)
      throws InvalidSpecException {
    List<String> scaling = AutoscalePolicy.errors(tpp);
    if (!scaling.isEmpty()) {
      throw new InvalidSpecException(scaling);
    }
    String yaml = ProxyYamlRenderer.render(tpp);
    ProxyConfig config = load(yaml);
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
    errors.addAll(TlsSecretCheck.errors(tpp.getSpec().tls, tlsSecrets, Instant.now()));
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

  /**
   * ConfigLoader.parse, minus the file-system checks that only a pod can make (see the class
   * comment).
   */
  static ProxyConfig load(String yaml) throws InvalidSpecException {
    try {
      return ConfigLoader.parse(yaml, POD_CONFIG_DIR, false);
    } catch (ConfigException e) {
      throw invalid(e.errors());
    }
  }

  private static InvalidSpecException invalid(List<ConfigError> errors) {
    return new InvalidSpecException(errors.stream().map(SpecValidator::specPath).toList());
  }

  /**
   * The spec field behind a proxy.yaml error; the rendered https listener (listeners[0]) comes from
   * spec.tls.
   */
  private static String specPath(ConfigError e) {
    if (e.path().startsWith(HTTPS_LISTENER)) {
      return "spec.tls (rendered as listener https, port " + HttpsListenerRenderer.PORT + "): " + e;
    }
    return "spec." + e;
  }
}
