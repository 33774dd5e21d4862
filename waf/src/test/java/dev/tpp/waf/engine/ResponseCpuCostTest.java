package dev.tpp.waf.engine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Opt-in report ({@code -Dwaf.perf=true}) of {@link ResponseCpuCost}: the bench's html64k case on
 * the engine alone; no thresholds, so a busy machine never fails the build.
 */
class ResponseCpuCostTest {

  @Test
  void reportsCpuPerInspectedHtmlResponse() throws Exception {
    assumeTrue(Boolean.getBoolean("waf.perf"), "set -Dwaf.perf=true to run");
    Path crs = Path.of(System.getProperty("crs.path", "/work/shared/crs-4.28.0"));
    assumeTrue(Files.isDirectory(crs.resolve("rules")), "CRS not present at " + crs);
    ResponseCpuCost.main(new String[0]);
  }
}
