package dev.tpp.proxy.waf.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What tpp pins per CRS version, from {@code src/test/resources/crs/VERSION/}: {@code
 * tpp-overrides.yaml} (go-ftw's overrides format: tests whose expectation depends on the HTTP
 * server, each with a reason and the output tpp is held to instead) and {@code known-failures.txt}
 * (test ids expected to fail, {@code ID # why} per line). The conformance run fails when any other
 * test fails, and when a known failure starts passing (so the list shrinks).
 */
record CrsExpectations(
    String version, Map<String, FtwOutput> overrides, Set<String> knownFailures) {
  private static final Pattern VERSION = Pattern.compile("ver:'OWASP_CRS/([0-9.]+)'");

  static CrsExpectations load(Path crsRules, Path resources) throws IOException {
    String version = version(crsRules);
    Path dir = resources.resolve(version);
    Map<String, FtwOutput> overrides = new HashMap<>();
    Path overridesFile = dir.resolve("tpp-overrides.yaml");
    if (Files.exists(overridesFile)) {
      for (Object o : FtwTest.list(FtwTest.yaml(overridesFile).get("test_overrides"))) {
        Map<?, ?> entry = (Map<?, ?>) o;
        if (entry.get("reason") == null || String.valueOf(entry.get("reason")).isBlank()) {
          throw new IllegalArgumentException(
              overridesFile + ": override without a reason: " + entry);
        }
        FtwOutput output = FtwOutput.of((Map<?, ?>) entry.get("output"));
        for (Object id : FtwTest.list(entry.get("test_ids"))) {
          overrides.put(entry.get("rule_id") + "-" + id, output);
        }
      }
    }
    Set<String> known = new LinkedHashSet<>();
    Path knownFile = dir.resolve("known-failures.txt");
    if (Files.exists(knownFile)) {
      for (String line : Files.readAllLines(knownFile)) {
        String id = line.replaceFirst("#.*", "").trim();
        if (!id.isEmpty()) {
          known.add(id);
        }
      }
    }
    return new CrsExpectations(version, overrides, known);
  }

  /** The CRS version its initialization rules declare, e.g. {@code 4.28.0}. */
  static String version(Path crsRules) throws IOException {
    Matcher m =
        VERSION.matcher(
            Files.readString(crsRules.resolve("rules/REQUEST-901-INITIALIZATION.conf")));
    if (!m.find()) {
      throw new IllegalArgumentException(
          crsRules + ": no ver:'OWASP_CRS/x.y.z' in REQUEST-901-INITIALIZATION.conf");
    }
    return m.group(1);
  }
}
