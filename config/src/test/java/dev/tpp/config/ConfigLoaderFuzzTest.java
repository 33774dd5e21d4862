package dev.tpp.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code proxy.yaml} → loader → validator on arbitrary text (UTF-8, as {@link ConfigLoader#load}
 * reads it). A text either yields a config or a {@link ConfigException} whose every error has a
 * message (what {@code --check} prints); nothing else may escape, and it takes linear time ({@link
 * FuzzBudget}). A config that loads renders ({@link ConfigRenderer}) to YAML that loads back to the
 * same config with the same hash — what the operator relies on. File checks are left out ({@code
 * checkFiles: false}, as the operator validates): the fuzzer must not read or walk this machine's
 * files. Seeds: {@code ConfigLoaderFuzzTestInputs/}.
 */
class ConfigLoaderFuzzTest {
  private static final Path BASE = Path.of("/nonexistent-tpp-fuzz");

  @FuzzTest(maxDuration = "30s")
  void configLoadsOrNamesEveryError(byte[] input) throws ConfigException {
    String yaml = new String(input, StandardCharsets.UTF_8);
    Object result = FuzzBudget.within("config load", input.length, () -> load(yaml));
    if (result instanceof ConfigException e) {
      assertFalse(e.errors().isEmpty(), "a refused config names at least one error");
      for (ConfigError error : e.errors()) {
        assertFalse(
            error.message() == null || error.message().isBlank(),
            "an error says what is wrong: " + error);
      }
      return;
    }
    ProxyConfig config = (ProxyConfig) result;
    ProxyConfig again = ConfigLoader.parse(ConfigRenderer.toYaml(config), BASE, false);
    assertEquals(config, again, "a loaded config renders to YAML that loads back to itself");
    assertEquals(ConfigHash.of(config), ConfigHash.of(again));
  }

  private static Object load(String yaml) {
    try {
      return ConfigLoader.parse(yaml, BASE, false);
    } catch (ConfigException e) {
      return e;
    }
  }
}
