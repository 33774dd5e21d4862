package dev.tpp.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the {@code waf:} section: its pool, body limits, CRS settings and, on the proxy only, its
 * files.
 */
final class WafValidator {
  private WafValidator() {}

  static void waf(ProxyConfig config, Checks checks) {
    WafConfig waf = config.waf();
    if (waf.enabled()) {
      RouteValidator.pool(config, "waf.pool", waf.pool(), checks);
    }
    if (waf.mode() == null) {
      checks.error("waf.mode", "is required");
    }
    checks.size("waf.requestBodyLimit", waf.requestBodyLimit(), 0, Long.MAX_VALUE);
    checks.size("waf.inMemoryBodyLimit", waf.inMemoryBodyLimit(), 0, Long.MAX_VALUE);
    if (waf.inMemoryBodyLimit() > waf.requestBodyLimit()) {
      checks.error(
          "waf.inMemoryBodyLimit",
          Quantities.format(waf.inMemoryBodyLimit())
              + " (expected: <= waf.requestBodyLimit, "
              + Quantities.format(waf.requestBodyLimit())
              + ")");
    }
    WafConfig.Crs crs = waf.crs();
    if (crs.enabled()) {
      checks.required("waf.crs.path", crs.path());
    }
    checks.range("waf.crs.paranoiaLevel", crs.paranoiaLevel(), 1, 4);
    checks.range("waf.crs.anomalyThreshold", crs.anomalyThreshold(), 1, Integer.MAX_VALUE);
    for (int i = 0; i < waf.ruleFiles().size(); i++) {
      checks.required("waf.ruleFiles[" + i + "]", waf.ruleFiles().get(i));
    }
    if (waf.rules() == null) {
      checks.error("waf.rules", "is required (expected: a string, \"\" for none)");
    }
  }

  static List<ConfigError> files(WafConfig waf) {
    List<ConfigError> errors = new ArrayList<>();
    try {
      RuleFiles.expandRuleFiles(waf);
    } catch (ConfigException e) {
      errors.addAll(e.errors());
    }
    if (waf.crs().enabled()
        && waf.crs().path() != null
        && !Files.isDirectory(Path.of(waf.crs().path()))) {
      errors.add(
          new ConfigError(
              "waf.crs.path", Durations.quote(waf.crs().path()) + " is not a directory"));
    }
    return errors;
  }
}
