package dev.tpp.proxy.waf.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * One CRS regression test in the FTW YAML format: its id ({@code RULE-N}), and per stage the raw
 * HTTP request to send and what the WAF's log and the response must show. Reads both the FTW 1
 * layout of CRS 3.3 ({@code test_title}, {@code stages[].stage.input}, {@code log_contains}) and
 * go-ftw's of CRS 4 ({@code rule_id} + {@code test_id}, {@code stages[].input}, {@code
 * output.log.expect_ids}).
 */
record FtwTest(String file, String id, List<Stage> stages) {

  /** One request and its expectations. */
  record Stage(byte[] request, FtwOutput output) {}

  /** Every test under {@code dir}, in file order. */
  static List<FtwTest> load(Path dir) throws IOException {
    List<FtwTest> tests = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(FtwTest::isYaml).sorted().toList()) {
        Map<?, ?> doc = yaml(f);
        for (Object t : list(doc.get("tests"))) {
          Map<?, ?> test = (Map<?, ?>) t;
          List<Stage> stages = new ArrayList<>();
          for (Object s : list(test.get("stages"))) {
            Map<?, ?> stage = (Map<?, ?>) s;
            boolean goFtw = !stage.containsKey("stage");
            stages.add(stage(goFtw ? stage : (Map<?, ?>) stage.get("stage"), goFtw));
          }
          String id =
              test.containsKey("test_id")
                  ? doc.get("rule_id") + "-" + test.get("test_id")
                  : String.valueOf(test.get("test_title"));
          tests.add(new FtwTest(dir.relativize(f).toString(), id, stages));
        }
      }
    }
    return tests;
  }

  static boolean isYaml(Path p) {
    return p.toString().endsWith(".yaml") || p.toString().endsWith(".yml");
  }

  static Map<?, ?> yaml(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      Map<?, ?> doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      return doc == null ? Map.of() : doc;
    }
  }

  private static Stage stage(Map<?, ?> stage, boolean goFtw) {
    Map<?, ?> input = (Map<?, ?>) stage.get("input");
    return new Stage(request(input, goFtw), FtwOutput.of((Map<?, ?>) stage.get("output")));
  }

  /**
   * The bytes to send: raw_request / encoded_request as given, else built from method, uri, headers
   * and data.
   */
  private static byte[] request(Map<?, ?> input, boolean goFtw) {
    if (input.get("encoded_request") != null) {
      return Base64.getMimeDecoder().decode(String.valueOf(input.get("encoded_request")));
    }
    if (input.get("raw_request") != null) {
      return String.valueOf(input.get("raw_request")).getBytes(StandardCharsets.ISO_8859_1);
    }
    String method = input.get("method") == null ? "GET" : String.valueOf(input.get("method"));
    String uri = input.get("uri") == null ? "/" : String.valueOf(input.get("uri"));
    String version =
        input.get("version") == null ? "HTTP/1.1" : String.valueOf(input.get("version"));
    Map<String, String> headers = new LinkedHashMap<>();
    if (input.get("headers") instanceof Map<?, ?> h) {
      h.forEach(
          (k, v) -> headers.put(String.valueOf(k), v == null ? "" : latin1(String.valueOf(v))));
    }
    String data = latin1(FtwTemplates.expand(data(input.get("data"))));
    uri = latin1(uri);
    // FTW's "magic" (go-ftw: autocomplete_headers): what a client would add to a body, unless the
    // test says not to.
    // go-ftw also sends a Content-Length of 0 with a body-carrying method that has no data.
    boolean magic =
        !Boolean.TRUE.equals(input.get("stop_magic"))
            && !Boolean.FALSE.equals(input.get("autocomplete_headers"));
    boolean sized = !data.isEmpty() || goFtw && List.of("POST", "PUT", "PATCH").contains(method);
    if (magic && sized && !has(headers, "content-length") && !has(headers, "transfer-encoding")) {
      headers.put(
          "Content-Length", Integer.toString(data.getBytes(StandardCharsets.ISO_8859_1).length));
    }
    if (magic && !data.isEmpty() && !has(headers, "content-type")) {
      headers.put("Content-Type", "application/x-www-form-urlencoded");
    }
    StringBuilder b = new StringBuilder(method).append(' ').append(uri);
    if (!version.isEmpty()) {
      b.append(' ').append(version);
    }
    b.append("\r\n");
    headers.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
    b.append("\r\n").append(data);
    return b.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * Text with characters beyond Latin-1 becomes its UTF-8 bytes (one char each), as a client would
   * send it.
   */
  private static String latin1(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0xFF) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
      }
    }
    return s;
  }

  private static boolean has(Map<String, String> headers, String name) {
    return headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(name));
  }

  /** FTW data: a string, or a list of lines joined with CRLF. */
  private static String data(Object data) {
    if (data == null) {
      return "";
    }
    if (data instanceof List<?> lines) {
      StringBuilder b = new StringBuilder();
      for (Object line : lines) {
        b.append(line).append("\r\n");
      }
      return b.toString();
    }
    return String.valueOf(data);
  }

  static List<?> list(Object o) {
    return o instanceof List<?> l ? l : List.of();
  }
}
