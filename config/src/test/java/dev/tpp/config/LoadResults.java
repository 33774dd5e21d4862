package dev.tpp.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Test helpers: parse YAML text or a fixture beside the tests, and print errors the way {@code
 * --check} does.
 */
final class LoadResults {
  static final Path BASE = Path.of("/etc/tpp");

  private LoadResults() {}

  static ProxyConfig parse(String yaml) {
    try {
      return ConfigLoader.parse(yaml, BASE);
    } catch (ConfigException e) {
      throw new AssertionError("expected a valid config, got: " + e.errors(), e);
    }
  }

  static List<String> errors(String yaml) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, BASE));
    return e.errors().stream().map(ConfigError::toString).toList();
  }

  static String fixture(String name) {
    try (InputStream in = LoadResults.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new AssertionError("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
