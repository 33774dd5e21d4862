package dev.tpp.waf.engine.differential;

import dev.tpp.waf.engine.crs.FtwRequests;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * The request of every stage of CRS's regression tests under a directory, in either format: FTW 1
 * (CRS 3.3, {@code stages[].stage.input}) and go-ftw (CRS 4, {@code stages[].input}, {@code
 * autocomplete_headers}, the {@code {{ "x" | repeat N }}} template). Only the inputs: expectations
 * belong to the conformance runner.
 */
final class CrsTestRequests {
  private static final Pattern REPEAT =
      Pattern.compile("\\{\\{\\s*\"([^\"]*)\"\\s*\\|\\s*repeat\\s+(\\d+)\\s*}}");

  private CrsTestRequests() {}

  /** Adds each stage's request to {@code out}, labelled "crs-VERSION RULEFILE". */
  static void load(Path testsDir, String label, Corpus out) throws IOException {
    if (!Files.isDirectory(testsDir)) {
      throw new IOException("no CRS tests at " + testsDir);
    }
    try (Stream<Path> files = Files.walk(testsDir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        if (!f.getFileName().toString().contains("overrides")) {
          file(f, label, out);
        }
      }
    }
  }

  private static void file(Path file, String label, Corpus out) throws IOException {
    Map<?, ?> doc;
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      doc = new Yaml().load(r);
    }
    if (doc == null || !(doc.get("tests") instanceof List<?> tests)) {
      return;
    }
    String source = label + " " + file.getFileName().toString().replace(".yaml", "");
    for (Object test : tests) {
      if (!(((Map<?, ?>) test).get("stages") instanceof List<?> stages)) {
        continue;
      }
      for (Object stage : stages) {
        Map<?, ?> s = (Map<?, ?>) stage;
        Object input =
            s.get("stage") instanceof Map<?, ?> ftw1 ? ftw1.get("input") : s.get("input");
        if (input instanceof Map<?, ?> map) {
          out.add(source, id -> FtwRequests.fromInput(id, normalised(map)));
        }
      }
    }
  }

  /**
   * go-ftw's spelling mapped onto FTW 1's, which {@link FtwRequests} reads; the data template
   * expanded.
   */
  private static Map<String, Object> normalised(Map<?, ?> input) {
    Map<String, Object> m = new HashMap<>();
    input.forEach((k, v) -> m.put(String.valueOf(k), v));
    if (Boolean.FALSE.equals(m.get("autocomplete_headers"))) {
      m.put("stop_magic", true);
    }
    if (m.get("data") instanceof String data && data.contains("{{")) {
      m.put("data", expand(data));
    }
    return m;
  }

  private static String expand(String data) {
    Matcher m = REPEAT.matcher(data);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(
          out, Matcher.quoteReplacement(m.group(1).repeat(Integer.parseInt(m.group(2)))));
    }
    return m.appendTail(out).toString();
  }
}
