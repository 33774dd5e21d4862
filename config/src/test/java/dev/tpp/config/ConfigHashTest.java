package dev.tpp.config;

import static dev.tpp.config.LoadResults.fixture;
import static dev.tpp.config.LoadResults.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfigHashTest {
  private static final String EXAMPLE = fixture("contract-example.yaml");

  @Test
  void isSixteenHexDigits() {
    assertTrue(ConfigHash.of(parse(EXAMPLE)).matches("[0-9a-f]{16}"));
  }

  @Test
  void isTheSameForEqualConfigsWrittenDifferently() {
    String reformatted = ConfigRenderer.toYaml(parse(EXAMPLE));
    assertEquals(ConfigHash.of(parse(EXAMPLE)), ConfigHash.of(parse(reformatted)));
    assertEquals(
        ConfigHash.of(parse("shutdownTimeout: 30s\nkeepalive: {idleTimeout: 1m}\nworkers: 2")),
        ConfigHash.of(parse("workers: 2\nkeepalive: {idleTimeout: 60s}")));
  }

  /**
   * Pinned: a change here changes every fleet's hash, so pods and operators of different versions
   * would disagree.
   */
  @Test
  void isPinnedForTheContractExample() {
    assertEquals(fixture("contract-example.hash").strip(), ConfigHash.of(parse(EXAMPLE)));
  }

  @Test
  void changesWithAnyField() {
    String base = ConfigHash.of(parse(EXAMPLE));
    assertNotEquals(base, ConfigHash.of(parse(EXAMPLE.replace("threads: 4", "threads: 5"))));
    assertNotEquals(base, ConfigHash.of(parse(EXAMPLE.replace("hello\\n", "hello!\\n"))));
    assertNotEquals(
        base, ConfigHash.of(parse(EXAMPLE.replace("paranoiaLevel: 1", "paranoiaLevel: 2"))));
    assertNotEquals(
        base, ConfigHash.of(parse(EXAMPLE.replace("connectTimeout: 1s", "connectTimeout: 2s"))));
    assertNotEquals(
        base, ConfigHash.of(parse(EXAMPLE.replace("reusePort: true", "reusePort: false"))));
    assertNotEquals(base, ConfigHash.of(parse(EXAMPLE + "\nhttp: {bodyTimeout: 5s}\n")));
    assertEquals(
        base,
        ConfigHash.of(parse(EXAMPLE + "\nhttp: {bodyTimeout: 60s, allowEncodedSlash: false}\n")),
        "a field at its default leaves the hash as it was before the field existed");
  }
}
