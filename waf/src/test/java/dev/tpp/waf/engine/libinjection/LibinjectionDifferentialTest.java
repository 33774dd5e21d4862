package dev.tpp.waf.engine.libinjection;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.waf.engine.libinjection.LibinjectionOracle.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @detectSQLi} and {@code @detectXSS} against libinjection itself (libmodsecurity3's copy,
 * via {@link LibinjectionOracle}) on {@link DifferentialCorpus}. Prints the agreement per source
 * and every input on which the verdicts differ. XSS must agree everywhere. SQLi may differ only on
 * the inputs listed in {@code sqli-known-differences.txt} (our detector is not yet a port of
 * libinjection's fingerprint list): a new difference fails, and so does a listed one that now
 * agrees, so the list only shrinks.
 */
class LibinjectionDifferentialTest {
  private static final String KNOWN = "sqli-known-differences.txt";

  @TempDir Path dir;

  @Test
  void verdictsAgreeWithLibinjectionOutsideTheKnownSqliDifferences() throws Exception {
    LibinjectionOracle oracle = LibinjectionOracle.build(dir);
    Map<String, String> corpus = DifferentialCorpus.load();
    List<String> inputs = new ArrayList<>(corpus.keySet());
    List<Verdict> expected = oracle.verdicts(inputs);
    Map<String, int[]> bySource = new TreeMap<>(); // source -> {inputs, sqli agree, xss agree}
    Set<String> sqliDiffs = new LinkedHashSet<>();
    List<String> xssDiffs = new ArrayList<>();
    int sameFingerprint = 0;
    int bothSqli = 0;
    int libXss = 0;
    for (int i = 0; i < inputs.size(); i++) {
      String input = inputs.get(i);
      Verdict lib = expected.get(i);
      String fingerprint = SqliDetector.fingerprintIfSqli(input);
      boolean xss = XssDetector.isXss(input);
      int[] counts = bySource.computeIfAbsent(group(corpus.get(input)), s -> new int[3]);
      counts[0]++;
      if ((fingerprint != null) == lib.sqli()) {
        counts[1]++;
      } else {
        sqliDiffs.add(
            (lib.sqli() ? "missed " + lib.fingerprint() : "extra " + fingerprint)
                + "\t"
                + escape(input));
      }
      if (lib.xss()) {
        libXss++;
      }
      if (xss == lib.xss()) {
        counts[2]++;
      } else {
        xssDiffs.add((lib.xss() ? "missed" : "extra") + "\t" + escape(input));
      }
      if (lib.sqli() && fingerprint != null) {
        bothSqli++;
        if (lib.fingerprint().equals(fingerprint)) {
          sameFingerprint++;
        }
      }
    }
    System.out.printf(
        "libinjection differential: %d inputs, sqli agree %d (%.1f%%), xss agree %d (%.1f%%, "
            + "%d XSS by libinjection), same fingerprint on %d of %d both call SQLi%n",
        inputs.size(),
        inputs.size() - sqliDiffs.size(),
        100.0 * (inputs.size() - sqliDiffs.size()) / inputs.size(),
        inputs.size() - xssDiffs.size(),
        100.0 * (inputs.size() - xssDiffs.size()) / inputs.size(),
        libXss,
        sameFingerprint,
        bothSqli);
    bySource.forEach(
        (source, c) ->
            System.out.printf(
                "  %-10s %4d inputs  sqli agree %4d  xss agree %4d%n", source, c[0], c[1], c[2]));
    sqliDiffs.forEach(d -> System.out.println("  sqli " + d));
    xssDiffs.forEach(d -> System.out.println("  xss " + d));

    assertTrue(
        xssDiffs.isEmpty(),
        "@detectXSS differs from libinjection_xss on:\n" + String.join("\n", xssDiffs));
    Set<String> known =
        known().stream()
            .map(LibinjectionDifferentialTest::verdictAndInput)
            .collect(Collectors.toSet());
    Set<String> now =
        sqliDiffs.stream()
            .map(LibinjectionDifferentialTest::verdictAndInput)
            .collect(Collectors.toSet());
    List<String> added =
        sqliDiffs.stream().filter(d -> !known.contains(verdictAndInput(d))).toList();
    List<String> gone = known().stream().filter(k -> !now.contains(verdictAndInput(k))).toList();
    assertTrue(
        added.isEmpty() && gone.isEmpty(),
        "@detectSQLi vs libinjection_sqli: new differences (fix them)\n"
            + String.join("\n", added)
            + "\nlisted in "
            + KNOWN
            + " but no longer different (remove those lines)\n"
            + String.join("\n", gone));
  }

  /**
   * "missed" or "extra", a tab and the input: a fingerprint that changes alone is not a new
   * difference.
   */
  private static String verdictAndInput(String line) {
    return line.substring(0, line.indexOf(' ')) + line.substring(line.indexOf('\t'));
  }

  /**
   * The known differences, one per line: {@code missed FP} or {@code extra FP}, a tab, the escaped
   * input.
   */
  private static Set<String> known() throws IOException {
    try (var in = LibinjectionDifferentialTest.class.getResourceAsStream(KNOWN)) {
      Set<String> lines = new LinkedHashSet<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isEmpty() && !line.startsWith("#")) {
          lines.add(line);
        }
      }
      return lines;
    }
  }

  private static String group(String source) {
    return source.startsWith("crs 942")
        ? "crs 942*"
        : source.startsWith("crs 941") ? "crs 941*" : source;
  }

  /**
   * Printable ASCII as is, every other byte and the backslash as {@code \xHH}: one line,
   * unambiguous.
   */
  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c >= 0x20 && c < 0x7F && c != '\\') {
        b.append(c);
      } else {
        b.append(String.format("\\x%02x", (int) c));
      }
    }
    return b.toString();
  }
}
