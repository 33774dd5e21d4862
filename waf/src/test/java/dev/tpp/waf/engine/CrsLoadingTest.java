package dev.tpp.waf.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CrsLoadingTest {
  static final Path CRS = Path.of(System.getProperty("crs.path", "/work/shared/crs-3.3.4"));

  @Test
  void crsAtParanoiaOneBlocksSqliThroughAnomalyScoringAndPassesBenign() throws Exception {
    assumeTrue(Files.isDirectory(CRS.resolve("rules")), "CRS 3.3.4 not present at " + CRS);
    WafEngine waf = WafEngine.builder().crs(CRS, 1, 5).rules("local", "SecRuleEngine On", null).build();
    assertTrue(waf.ruleCount() > 500);
    WafVerdict attack = waf.inspect(Requests.get("/?id=1%27%20union%20select%20password%20from%20users--",
        "User-Agent", "Mozilla/5.0", "Accept", "text/html"));
    assertTrue(attack.disruptive(), attack.matches().toString());
    assertTrue(attack.matches().stream().anyMatch(m -> m.ruleId().equals("949110")));
    WafVerdict benign = waf.inspect(Requests.get("/products?id=42&sort=name", "User-Agent", "Mozilla/5.0", "Accept", "text/html"));
    assertFalse(benign.disruptive(), benign.matches().toString());
  }
}
