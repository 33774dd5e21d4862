package dev.tpp.waf.engine.differential;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole engine against libmodsecurity3 ({@link ModsecOracle}): the same rule file
 * (ModSecurity's recommended settings, CRS 3.3.4 and 4.28.0 with their setup, paranoia levels 1 to
 * 4) and the same requests (every stage of both CRS versions' regression tests and {@link
 * TrafficGenerator}'s seeded traffic), comparing the set of rule ids each engine logs per request.
 * By default each request runs at one paranoia level (by its position, so all four are covered);
 * {@code -Dmodsec.full=true} runs every request at every level ({@code make waf-differential}).
 * Fails below {@code -Dmodsec.minShare} percent identical sets, when a rule differs that is not
 * pinned in {@code known-differences.txt} (per CRS version and direction), and, in the full run,
 * when a pinned one no longer differs. Every difference goes to {@code
 * target/modsec-differential.txt}, the requests behind them (as the harness reads them, to replay
 * one) to {@code target/modsec-differential-requests.txt}.
 */
class ModsecDifferentialTest {
  private static final String KNOWN = "known-differences.txt";
  private static final double MIN_SHARE =
      Double.parseDouble(System.getProperty("modsec.minShare", "92"));
  private static final List<String> CRS =
      List.of(
          System.getProperty("modsec.crs", "../../shared/crs-3.3.4,../../shared/crs-4.28.0")
              .split(","));
  // whose regression tests make the corpus: by default those of the CRS versions run
  private static final List<String> TESTS =
      List.of(System.getProperty("modsec.tests", String.join(",", CRS)).split(","));
  private static final boolean FULL = Boolean.getBoolean("modsec.full");
  // make test: the CRS tests and 5,000 generated requests, each at one level; the full run 16,000
  // at every level
  private static final int GENERATED =
      Integer.getInteger("modsec.generated", FULL ? 16_000 : 5_000);
  private static final long SEED = Long.getLong("modsec.seed", 20261204);
  private static final int[] LEVELS =
      Arrays.stream(System.getProperty("modsec.levels", "1,2,3,4").split(","))
          .mapToInt(Integer::parseInt)
          .toArray();

  @TempDir Path dir;

  @Test
  void loggedRuleIdsAgreeWithLibmodsecurityOutsideTheKnownDifferences() throws Exception {
    for (String crs : CRS) {
      assumeTrue(Files.isDirectory(Path.of(crs, "rules")), "CRS not present at " + crs);
    }
    ModsecOracle oracle = ModsecOracle.build(dir);
    Corpus corpus = new Corpus();
    for (String crs : TESTS) {
      CrsTestRequests.load(Path.of(crs, "tests"), Path.of(crs).getFileName().toString(), corpus);
    }
    new TrafficGenerator(SEED).generate(GENERATED, corpus);

    List<DifferenceReport> reports = new ArrayList<>();
    for (String crs : CRS) {
      for (int l = 0; l < LEVELS.length; l++) {
        int level = l;
        List<Corpus.Entry> entries =
            IntStream.range(0, corpus.size())
                .filter(i -> FULL || i % LEVELS.length == level)
                .mapToObj(i -> corpus.entries().get(i))
                .toList();
        DifferenceReport report =
            new DifferenceReport(Path.of(crs).getFileName() + "/pl" + LEVELS[l]);
        DifferentialRun.run(oracle, dir, Path.of(crs), LEVELS[l], entries, report);
        reports.add(report);
      }
    }
    int requests = reports.stream().mapToInt(DifferenceReport::requests).sum();
    int identical = reports.stream().mapToInt(DifferenceReport::identical).sum();
    double share = 100.0 * identical / requests;
    System.out.printf(
        "modsec differential: %d requests, %d identical (%.2f%%)%n", requests, identical, share);
    reports.forEach(DifferenceReport::print);
    List<String> found = reports.stream().flatMap(r -> r.differences().stream()).toList();
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target", "modsec-differential.txt"), found, StandardCharsets.UTF_8);
    Map<String, String> replay = new java.util.TreeMap<>();
    reports.forEach(r -> replay.putAll(r.differingRequests()));
    Files.write(
        Path.of("target", "modsec-differential-requests.txt"),
        replay.entrySet().stream().map(e -> e.getKey() + "\t" + e.getValue()).toList(),
        StandardCharsets.UTF_8);

    Map<String, Integer> pins = new java.util.TreeMap<>();
    reports.forEach(r -> r.pins().forEach((pin, n) -> pins.merge(pin, n, Integer::sum)));
    Map<String, String> known = known();
    List<String> added = pins.keySet().stream().filter(p -> !known.containsKey(p)).toList();
    List<String> gone =
        FULL ? known.keySet().stream().filter(k -> !pins.containsKey(k)).toList() : List.of();
    pins.forEach(
        (pin, n) ->
            System.out.printf(
                "  %-22s %5d requests%s%n",
                pin, n, known.containsKey(pin) ? "" : "   NEW: not in " + KNOWN));
    gone.forEach(k -> System.out.println("  pinned but not seen in the full run: " + known.get(k)));
    assertTrue(
        share >= MIN_SHARE,
        String.format("only %.2f%% identical (at least %.1f%% expected)", share, MIN_SHARE));
    assertTrue(
        added.isEmpty(),
        "rules that differ from libmodsecurity3 and are not in "
            + KNOWN
            + ": "
            + added
            + " (fix them, or explain them in waf/README.md and pin them; the requests are in target/"
            + "modsec-differential.txt)");
    assertTrue(
        gone.isEmpty(),
        "pinned in " + KNOWN + " but no longer different: " + gone + " (remove those lines)");
  }

  /** The pinned rules, {@code CRS-VERSION ±ID}, to their line (with its reason after '#'). */
  private static Map<String, String> known() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (InputStream in = ModsecDifferentialTest.class.getResourceAsStream(KNOWN)) {
      if (in == null) {
        throw new IOException("missing test resource " + KNOWN);
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int hash = line.indexOf('#');
        out.put((hash < 0 ? line : line.substring(0, hash)).strip().replaceAll("\\s+", " "), line);
      }
    }
    return out;
  }
}
