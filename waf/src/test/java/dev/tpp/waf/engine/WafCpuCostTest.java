package dev.tpp.waf.engine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Opt-in CPU-cost report ({@code -Dwaf.perf=true}); no thresholds, so a busy machine never fails
 * the build. The request kinds and the method are in {@link WafCpuCost}; {@code -Dwaf.perf.rounds}
 * and {@code -Dwaf.perf.scale} trade precision for time.
 */
class WafCpuCostTest {

  @Test
  void reportsCpuPerRequestWithCrsAtParanoiaOne() throws Exception {
    assumeTrue(Boolean.getBoolean("waf.perf"), "set -Dwaf.perf=true to run");
    Path crs = Path.of(System.getProperty("crs.path", "/work/shared/crs-3.3.4"));
    assumeTrue(Files.isDirectory(crs.resolve("rules")), "CRS 3.3.4 not present at " + crs);
    String report =
        WafCpuCost.report(
            WafCpuCost.run(
                crs,
                Integer.getInteger("waf.perf.rounds", 7),
                Double.parseDouble(System.getProperty("waf.perf.scale", "1"))));
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/waf-cpu-cost.txt"), report);
    System.out.print(report);
  }
}
