package dev.tpp.proxy.waf.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Judges a CRS run against what is pinned for its version ({@link CrsExpectations}): prints the
 * figures and every failure, writes them to {@code target/crs-conformance-VERSION.txt}, and fails
 * on a new failure (a regression) or on a known failure that now passes (the list must then
 * shrink). Test thread only.
 */
final class CrsReport {
  private final CrsExpectations expectations;
  private final List<String> lines = new ArrayList<>();
  private final List<String> unexpected = new ArrayList<>();
  private int passed;
  private int failed;
  private int overridden;

  CrsReport(
      CrsExpectations expectations,
      List<FtwTest> all,
      Map<String, CrsConformanceIT.Outcome> outcomes,
      Map<String, List<String>> logLines,
      long nanos)
      throws IOException {
    this.expectations = expectations;
    for (int t = 0; t < all.size(); t++) {
      judge(all.get(t), t, outcomes, logLines);
    }
    for (String id : expectations.knownFailures()) {
      if (all.stream().noneMatch(test -> test.id().equals(id))) {
        unexpected.add("known failure " + id + " is not a test of this suite");
      }
    }
    lines.add(
        0,
        String.format(
            "crs %s: %d passed, %d failed (%d known), %d overridden; %d tests in %d s",
            expectations.version(),
            passed,
            failed,
            expectations.knownFailures().size(),
            overridden,
            all.size(),
            TimeUnit.NANOSECONDS.toSeconds(nanos)));
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target", "crs-conformance-" + expectations.version() + ".txt"), lines);
    lines.forEach(System.out::println);
  }

  private void judge(
      FtwTest test,
      int t,
      Map<String, CrsConformanceIT.Outcome> outcomes,
      Map<String, List<String>> logLines) {
    FtwOutput override = expectations.overrides().get(test.id());
    String problem = null;
    boolean checksSomething = false;
    for (int s = 0; s < test.stages().size() && problem == null; s++) {
      String tag = "crs-" + t + "-" + s;
      FtwOutput expected = override != null ? override : test.stages().get(s).output();
      checksSomething |= !expected.checksNothing();
      problem =
          Expectations.check(expected, outcomes.get(tag), logLines.getOrDefault(tag, List.of()));
    }
    if (!checksSomething) {
      // a pass would count a test that cannot fail: an output key this runner does not read, or
      // none at all
      unexpected.add(
          "test " + test.id() + " (" + test.file() + ") expects nothing this runner can check");
    }
    if (override != null) {
      overridden++;
    }
    boolean known = expectations.knownFailures().contains(test.id());
    if (problem == null) {
      passed++;
      if (known) {
        unexpected.add(
            "known failure " + test.id() + " passes now: remove it from known-failures.txt");
      }
      return;
    }
    failed++;
    lines.add((known ? "KNOWN " : "FAILED ") + test.id() + " (" + test.file() + "): " + problem);
    if (!known) {
      unexpected.add("new failure " + test.id() + ": " + problem);
    }
  }

  void assertAsPinned() {
    int total = passed + failed;
    assertTrue(
        overridden * 100 <= total,
        "more than 1% of the tests overridden: " + overridden + " of " + total);
    assertTrue(
        unexpected.isEmpty(),
        "CRS "
            + expectations.version()
            + " differs from what is pinned in "
            + "src/test/resources/crs/"
            + expectations.version()
            + ":\n  "
            + String.join("\n  ", unexpected));
  }
}
