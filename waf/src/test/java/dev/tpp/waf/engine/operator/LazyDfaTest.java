package dev.tpp.waf.engine.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The DFA must answer exactly what RE2/J's {@code find()} answers, whenever it answers at all. */
class LazyDfaTest {
  private static final Path CRS = Path.of(System.getProperty("crs.path", "/work/shared/crs-3.3.4"));

  @Test
  void agreesWithRe2OnAnchorsWordBoundariesCaseFoldingAndNewlines() {
    String[] patterns = {
      "^ab",
      "ab$",
      "^$",
      "\\bselect\\b",
      "\\Bx\\B",
      "(?i)k[a-c]+\\b",
      "(?m)^x$",
      "a.c",
      "(?s)a.c",
      "(?:^|=)\\s*(?:cat|ls)\\b",
      "[^\\n]+$",
      "(?i)\u00e9t\u00e9",
      "(?:a|b)*c(?:d|e)?$",
      "x*",
      "\\A(?:ab|a)\\z"
    };
    String alphabet = "abcdeklxABCKLX_=;\n \t\u00e9\u00c9\u00ff0";
    Random random = new Random(11);
    for (String pattern : patterns) {
      com.google.re2j.Pattern re2 =
          com.google.re2j.Pattern.compile(pattern, com.google.re2j.Pattern.DOTALL);
      LazyDfa dfa = LazyDfa.of(re2);
      assertNotNull(dfa, pattern);
      for (int n = 0; n < 5000; n++) {
        StringBuilder b = new StringBuilder();
        for (int k = random.nextInt(10); k > 0; k--) {
          b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        assertAgrees(pattern, re2, dfa, b.toString());
      }
    }
  }

  @Test
  void threadsBuildingStatesAtOnceGetRe2sAnswers() throws Exception {
    String pattern =
        "(?i)(?:<script|on(?:load|error)\\s*=|\\bselect\\b.{0,40}\\bfrom\\b|[a-f]{3,}\\d+$)";
    com.google.re2j.Pattern re2 =
        com.google.re2j.Pattern.compile(pattern, com.google.re2j.Pattern.DOTALL);
    LazyDfa dfa = LazyDfa.of(re2);
    String alphabet = "abcdefilmnorstc<>=  019_ \n";
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int seed = t;
        results.add(
            pool.submit(
                () -> {
                  Random random = new Random(seed);
                  int checked = 0;
                  for (int n = 0; n < 20000; n++) {
                    StringBuilder b = new StringBuilder();
                    for (int k = random.nextInt(30); k > 0; k--) {
                      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
                    }
                    if (assertAgrees(pattern, re2, dfa, b.toString())) {
                      checked++;
                    }
                  }
                  return checked;
                }));
      }
      for (java.util.concurrent.Future<Integer> r : results) {
        assertTrue(r.get() > 0);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void leavesRunesBeyondLatin1ToRe2() {
    LazyDfa dfa = LazyDfa.of(com.google.re2j.Pattern.compile("(?i)kill"));
    assertEquals(LazyDfa.Answer.UNKNOWN, dfa.find("\u212Aill"));
  }

  @Test
  void agreesWithRe2OnEveryCrsPatternAndTestInput() throws IOException {
    assumeTrue(Files.isDirectory(CRS.resolve("tests")), "CRS 3.3.4 not present at " + CRS);
    List<String> inputs = crsTestInputs();
    int step = Boolean.getBoolean("waf.dfa.exhaustive") ? 1 : 7;
    int decided = 0;
    for (String source : crsRxPatterns()) {
      com.google.re2j.Pattern re2;
      try {
        re2 =
            com.google.re2j.Pattern.compile(
                PcreTranslator.toRe2(source), com.google.re2j.Pattern.DOTALL);
      } catch (RuntimeException e) {
        continue; // lookaround or backreferences: java.util.regex's business
      }
      LazyDfa dfa = LazyDfa.of(re2);
      assertNotNull(dfa, source);
      for (int i = source.hashCode() & 7; i < inputs.size(); i += step) {
        if (assertAgrees(source, re2, dfa, inputs.get(i))) {
          decided++;
        }
      }
    }
    assertTrue(decided > 10_000, "decided " + decided);
  }

  /** Returns whether the DFA decided (rather than leaving the input to RE2/J). */
  private static boolean assertAgrees(
      String pattern, com.google.re2j.Pattern re2, LazyDfa dfa, String input) {
    LazyDfa.Answer answer = dfa.find(input);
    if (answer == LazyDfa.Answer.UNKNOWN) {
      return false;
    }
    assertEquals(
        re2.matcher(input).find(), answer == LazyDfa.Answer.MATCH, () -> pattern + " on " + input);
    return true;
  }

  private static List<String> crsRxPatterns() throws IOException {
    Set<String> out = new LinkedHashSet<>();
    try (Stream<Path> files = Files.list(CRS.resolve("rules"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".conf")).sorted().toList()) {
        String text = Files.readString(f, StandardCharsets.ISO_8859_1).replace("\\\n", "");
        for (int at = text.indexOf("\"@rx "); at >= 0; at = text.indexOf("\"@rx ", at + 1)) {
          StringBuilder pattern = new StringBuilder();
          int i = at + 5;
          for (; i < text.length() && text.charAt(i) != '"'; i++) {
            if (text.charAt(i) == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
              i++;
            }
            pattern.append(text.charAt(i));
          }
          out.add(pattern.toString());
        }
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * URIs and bodies from the regression tests, raw and URL-decoded: the inputs CRS patterns were
   * written for.
   */
  private static List<String> crsTestInputs() throws IOException {
    Pattern field =
        Pattern.compile("^\\s*(?:uri|data):\\s*[\"']?(.*?)[\"']?\\s*$", Pattern.MULTILINE);
    Set<String> out = new LinkedHashSet<>();
    try (Stream<Path> files = Files.walk(CRS.resolve("tests"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        Matcher m = field.matcher(Files.readString(f, StandardCharsets.ISO_8859_1));
        while (m.find()) {
          out.add(m.group(1));
          try {
            out.add(URLDecoder.decode(m.group(1), StandardCharsets.ISO_8859_1));
          } catch (IllegalArgumentException e) {
            // not decodable: the raw form is in already
          }
        }
      }
    }
    return new ArrayList<>(out);
  }
}
