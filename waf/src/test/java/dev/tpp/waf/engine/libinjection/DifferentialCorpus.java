package dev.tpp.waf.engine.libinjection;

import dev.tpp.waf.engine.transform.Transformations;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * Inputs for {@link LibinjectionDifferentialTest}, each with where it came from: the argument names
 * and values (URL decoded, as {@code t:urlDecodeUni} leaves them), cookies, User-Agent and Referer
 * of the CRS regression tests for the SQLi (942) and XSS (941) rules, then {@code benign.txt} and
 * {@code edge-cases.txt} beside this class, then {@link SqlFragmentInputs} and {@link
 * XssFragmentInputs} (generated SQL- and XSS-shaped inputs, fixed seeds).
 */
final class DifferentialCorpus {
  static final Path CRS_TESTS =
      Path.of(System.getProperty("crs.path", "/work/shared/crs-3.3.4"), "tests");
  private static final List<String> RULE_DIRS =
      List.of("REQUEST-942-APPLICATION-ATTACK-SQLI", "REQUEST-941-APPLICATION-ATTACK-XSS");

  // -Dlibinjection.generated=N -Dlibinjection.seed=S for a longer soak than the default run
  private static final long GENERATED_SEED = Long.getLong("libinjection.seed", 942100);
  private static final int GENERATED = Integer.getInteger("libinjection.generated", 50_000);
  private static final long GENERATED_XSS_SEED = GENERATED_SEED + 941;

  private DifferentialCorpus() {}

  /**
   * Input to its source ("crs 942100.yaml", "benign", "edge"); the first source wins for repeated
   * inputs.
   */
  static Map<String, String> load() throws IOException {
    Map<String, String> corpus = new LinkedHashMap<>();
    for (String dir : RULE_DIRS) {
      Path rules = CRS_TESTS.resolve(dir);
      if (!Files.isDirectory(rules)) {
        continue;
      }
      try (Stream<Path> files = Files.list(rules)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
          crs(f, corpus);
        }
      }
    }
    lines("benign.txt", "benign", corpus);
    lines("edge-cases.txt", "edge", corpus);
    for (String input : SqlFragmentInputs.generate(GENERATED_SEED, GENERATED)) {
      corpus.putIfAbsent(input, "generated");
    }
    for (String input : XssFragmentInputs.generate(GENERATED_XSS_SEED, GENERATED)) {
      corpus.putIfAbsent(input, "gen xss");
    }
    return corpus;
  }

  private static void crs(Path file, Map<String, String> corpus) throws IOException {
    String source = "crs " + file.getFileName();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Map<?, ?> doc = new Yaml().load(r);
      for (Object test : (List<?>) doc.get("tests")) {
        for (Object stage : (List<?>) ((Map<?, ?>) test).get("stages")) {
          Map<?, ?> input = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) stage).get("stage")).get("input");
          String uri = String.valueOf(input.get("uri") == null ? "" : input.get("uri"));
          if (uri.indexOf('?') >= 0) {
            args(uri.substring(uri.indexOf('?') + 1), '&', source, corpus);
          }
          if (input.get("data") instanceof String data) {
            args(data, '&', source, corpus);
          }
          if (input.get("headers") instanceof Map<?, ?> headers) {
            for (Map.Entry<?, ?> h : headers.entrySet()) {
              String name = String.valueOf(h.getKey());
              String value = bytes(String.valueOf(h.getValue()));
              if (name.equalsIgnoreCase("cookie")) {
                args(value, ';', source, corpus);
              }
              if (name.equalsIgnoreCase("user-agent") || name.equalsIgnoreCase("referer")) {
                corpus.putIfAbsent(value, source);
              }
            }
          }
        }
      }
    }
  }

  private static void args(String text, char separator, String source, Map<String, String> corpus) {
    for (String pair : bytes(text).split(String.valueOf(separator))) {
      int eq = pair.indexOf('=');
      for (String part :
          eq < 0 ? List.of(pair) : List.of(pair.substring(0, eq), pair.substring(eq + 1))) {
        String decoded = Transformations.urlDecode(part.strip());
        if (!decoded.isEmpty()) {
          corpus.putIfAbsent(decoded, source);
        }
      }
    }
  }

  private static void lines(String resource, String source, Map<String, String> corpus)
      throws IOException {
    try (var in = DifferentialCorpus.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing test resource " + resource);
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isEmpty() && !line.startsWith("#")) {
          corpus.putIfAbsent(bytes(unescape(line)), source);
        }
      }
    }
  }

  /**
   * {@code \n}, {@code \t}, {@code \0} and {@code \xHH} in the resource files, for bytes a text
   * line cannot hold.
   */
  private static String unescape(String line) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c != '\\' || i + 1 >= line.length()) {
        b.append(c);
        continue;
      }
      char n = line.charAt(++i);
      switch (n) {
        case 'n' -> b.append('\n');
        case 't' -> b.append('\t');
        case '0' -> b.append('\0');
        case 'x' -> {
          b.append((char) Integer.parseInt(line.substring(i + 1, i + 3), 16));
          i += 2;
        }
        default -> b.append('\\').append(n);
      }
    }
    return b.toString();
  }

  /**
   * One char per byte, as the engine sees request data: text beyond Latin-1 is UTF-8 encoded first.
   */
  private static String bytes(String s) {
    return s.chars().anyMatch(c -> c > 0xFF)
        ? new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)
        : s;
  }
}
