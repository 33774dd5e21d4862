package dev.tpp.waf.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CrsLoadingTest {
  static final Path CRS = Path.of(System.getProperty("crs.path", "/work/shared/crs-3.3.4"));
  static WafEngine waf;

  @BeforeAll
  static void loadCrs() throws Exception {
    assumeTrue(Files.isDirectory(CRS.resolve("rules")), "CRS 3.3.4 not present at " + CRS);
    waf = WafEngine.builder().crs(CRS, 1, 5).rules("local", "SecRuleEngine On", null).build();
  }

  @Test
  void crsAtParanoiaOneBlocksSqliThroughAnomalyScoringAndPassesBenign() {
    assertTrue(waf.ruleCount() > 500);
    WafVerdict attack =
        waf.inspect(
            Requests.get(
                "/?id=1%27%20union%20select%20password%20from%20users--",
                "User-Agent", "Mozilla/5.0", "Accept", "text/html"));
    assertTrue(attack.disruptive(), attack.matches().toString());
    assertTrue(attack.matches().stream().anyMatch(m -> m.ruleId().equals("949110")));
    WafVerdict benign =
        waf.inspect(
            Requests.get(
                "/products?id=42&sort=name", "User-Agent", "Mozilla/5.0", "Accept", "text/html"));
    assertFalse(benign.disruptive(), benign.matches().toString());
  }

  @Test
  void survivesRandomBytesInEveryPartOfTheRequest() {
    Random random = new Random(42);
    String[] types = {
      "application/json",
      "multipart/form-data; boundary=x",
      "text/xml",
      "application/x-www-form-urlencoded"
    };
    for (int i = 0; i < 150; i++) {
      String junk = randomText(random, 1 + random.nextInt(200));
      WafRequest r =
          Requests.request(
              "POST",
              "/" + junk.replace(' ', '+') + "?" + junk,
              "--x\r\n" + junk + "\r\n--x--",
              "Content-Type",
              types[i % types.length],
              "Cookie",
              junk,
              "User-Agent",
              junk);
      assertDoesNotThrow(() -> waf.inspect(r), junk);
    }
  }

  private static String randomText(Random random, int length) {
    String alphabet = "abc'\"<>%&=;()[]{}/\\-#*+ 0x\u00c3\u00a9\u0000\r\n{\"\":[]}uU";
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }
}
