package dev.tpp.waf.engine.crs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tpp.waf.engine.RuleMatch;
import dev.tpp.waf.engine.WafEngine;
import dev.tpp.waf.engine.WafVerdict;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Engine-level CRS 3.3.4 regression run: every FTW YAML test under {@code crs-3.3.4/tests}, CRS at
 * paranoia level 4 with the setup rule the tests' README asks for, evaluated on the log lines the
 * engine returns. Runs when CRS 3.3.4 is present; fails on a failure not pinned in {@code
 * known-failures-3.3.4.txt} and on a pinned test that passes. {@code -Dcrs.only=REGEX} runs the
 * matching tests and prints their log lines (the pins then apply to those only). Report: {@code
 * target/crs-conformance.txt}.
 */
class CrsConformanceTest {
  static final Path CRS = Path.of(System.getProperty("crs.path", "/work/shared/crs-3.3.4"));
  static final String SETUP =
      """
      Include crs-setup.conf.example
      SecAction "id:900005,phase:1,nolog,pass,ctl:ruleEngine=DetectionOnly,ctl:ruleRemoveById=910000,\\
        setvar:tx.paranoia_level=4,setvar:tx.crs_validate_utf8_encoding=1,setvar:tx.arg_name_length=100,\\
        setvar:tx.arg_length=400"
      Include rules/*.conf
      """;

  @Test
  void runsCrsRegressionTests() throws Exception {
    assumeTrue(Files.isDirectory(CRS.resolve("tests")), "CRS 3.3.4 tests not present at " + CRS);
    WafEngine engine = WafEngine.builder().rules("crs-3.3.4", SETUP, CRS).build();
    int passed = 0;
    Map<String, String> known =
        KnownFailures.read(CrsConformanceTest.class, "known-failures-3.3.4.txt");
    List<String> passedTitles = new ArrayList<>();
    Map<String, String> failures = new TreeMap<>();
    List<String> failed = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (Path file : yamlFiles()) {
      for (Map<String, Object> test : tests(file)) {
        String title = String.valueOf(test.get("test_title"));
        if (!title.matches(System.getProperty("crs.only", ".*"))) {
          continue;
        }
        String outcome = run(engine, title, test);
        if (outcome == null) {
          passed++;
          passedTitles.add(title);
        } else if (outcome.startsWith("skip")) {
          skipped.add(title + ": " + outcome);
        } else {
          failed.add(title + ": " + outcome);
          failures.put(title, outcome);
        }
      }
    }
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            "crs: %d passed, %d failed, %d skipped%n", passed, failed.size(), skipped.size()));
    failed.forEach(f -> report.append("FAIL ").append(f).append('\n'));
    skipped.forEach(s -> report.append("SKIP ").append(s).append('\n'));
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/crs-conformance.txt"), report);
    System.out.print(report);
    assertTrue(passed > 0, "no CRS test ran: " + report);
    KnownFailures.check(known, failures, passedTitles);
  }

  @SuppressWarnings("unchecked")
  private static String run(WafEngine engine, String title, Map<String, Object> test) {
    List<Object> stages = (List<Object>) test.get("stages");
    int n = 0;
    for (Object s : stages) {
      Map<String, Object> stage = (Map<String, Object>) ((Map<String, Object>) s).get("stage");
      Map<String, Object> input = (Map<String, Object>) stage.get("input");
      Map<String, Object> output = (Map<String, Object>) stage.get("output");
      if (output.containsKey("expect_error")) {
        return "skip: expect_error needs a real HTTP server";
      }
      WafVerdict verdict = engine.inspect(FtwRequests.fromInput(title + "-" + n++, input));
      String log =
          verdict.matches().stream().map(RuleMatch::logLine).collect(Collectors.joining("\n"));
      String problem = check(output, log);
      if (System.getProperty("crs.only") != null) {
        System.out.println(title + " " + input + "\n  " + log.replace("\n", "\n  "));
      }
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String check(Map<String, Object> output, String log) {
    Object contains = output.get("log_contains");
    Object notContains = output.get("no_log_contains");
    if (contains != null && !Pattern.compile(contains.toString()).matcher(log).find()) {
      return "log lacks /" + contains + "/";
    }
    if (notContains != null && Pattern.compile(notContains.toString()).matcher(log).find()) {
      return "log has /" + notContains + "/";
    }
    if (contains == null && notContains == null && output.get("status") != null) {
      String status = output.get("status").toString();
      if (!status.contains("403")) {
        return "skip: status " + status + " comes from the HTTP server, not the WAF";
      }
      if (!log.contains("id \"949110\"")) {
        return "expected a blocking score (949110) for status 403";
      }
    }
    return null;
  }

  static List<Path> yamlFiles() throws IOException {
    try (Stream<Path> s = Files.walk(CRS.resolve("tests"))) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> tests(Path file) throws IOException {
    LoaderOptions options = new LoaderOptions();
    try (InputStream in = Files.newInputStream(file)) {
      Map<String, Object> doc = new Yaml(options).load(in);
      Object tests = doc == null ? null : doc.get("tests");
      return tests == null ? List.of() : (List<Map<String, Object>>) tests;
    }
  }
}
