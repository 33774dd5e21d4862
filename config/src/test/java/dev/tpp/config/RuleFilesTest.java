package dev.tpp.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleFilesTest {
  @TempDir Path dir;

  @BeforeEach
  void writeRules() throws Exception {
    Files.createDirectories(dir.resolve("rules/extra"));
    for (String name :
        List.of(
            "rules/b.conf", "rules/a.conf", "rules/notes.txt", "rules/extra/c.conf", "one.conf")) {
      Files.writeString(dir.resolve(name), "SecRuleEngine On\n");
    }
  }

  @Test
  void expandsGlobsInSortedOrderAfterPlainPaths() throws Exception {
    assertEquals(
        List.of(dir.resolve("one.conf"), dir.resolve("rules/a.conf"), dir.resolve("rules/b.conf")),
        RuleFiles.expandRuleFiles(waf("one.conf", "rules/*.conf")));
  }

  @Test
  void doubleStarCrossesDirectories() throws Exception {
    assertEquals(
        List.of(
            dir.resolve("rules/a.conf"),
            dir.resolve("rules/b.conf"),
            dir.resolve("rules/extra/c.conf")),
        RuleFiles.expandRuleFiles(waf("rules/**.conf")));
  }

  @Test
  void acceptsAGlobThatMatchesNothing() throws Exception {
    assertEquals(List.of(), RuleFiles.expandRuleFiles(waf("rules/*.rules", "absent/*.conf")));
  }

  @Test
  void namesEachMissingPlainPath() {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> RuleFiles.expandRuleFiles(waf("one.conf", "gone.conf")));
    assertEquals(
        List.of(
            new ConfigError(
                "waf.ruleFiles[1]",
                "\"" + dir.resolve("gone.conf") + "\" does not exist or is not a file")),
        e.errors());
  }

  @Test
  void loaderReportsMissingRuleFilesAndCrsDirectory() throws Exception {
    Path file = dir.resolve("proxy.yaml");
    Files.writeString(
        file,
        "waf: {ruleFiles: [rules/*.conf, missing.conf], crs: {enabled: true, path: nocrs}}\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
    assertEquals(
        List.of(
            "waf.ruleFiles[1]: \""
                + dir.resolve("missing.conf")
                + "\" does not exist or is not a file",
            "waf.crs.path: \"" + dir.resolve("nocrs") + "\" is not a directory"),
        e.errors().stream().map(ConfigError::toString).toList());
  }

  @Test
  void parseWithoutFileChecksGivesTheConfigThePodWillLoad() throws Exception {
    String yaml =
        "waf: {ruleFiles: [rules/*.conf, later.conf], crs: {enabled: true, path: crs}, pool: waf}\n"
            + "pools: [{name: waf, threads: 1}]\n";
    ConfigException missing =
        assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, dir));
    assertEquals(
        2, missing.errors().size(), missing.getMessage()); // later.conf and crs do not exist here
    ProxyConfig elsewhere = ConfigLoader.parse(yaml, dir, false);
    Files.writeString(dir.resolve("later.conf"), "SecRuleEngine On\n");
    Files.createDirectories(dir.resolve("crs"));
    ProxyConfig here = ConfigLoader.parse(yaml, dir); // the "pod", once the files exist
    assertEquals(here, elsewhere);
    assertEquals(ConfigHash.of(here), ConfigHash.of(elsewhere));
    ConfigException invalid =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.parse(
                    "workers: 0\nwaf: {crs: {enabled: true, path: crs2}}\n", dir, false));
    assertEquals(
        List.of("workers"),
        invalid.errors().stream().map(ConfigError::path).toList(),
        "the other checks still run");
  }

  @Test
  void validateSkipsTheFileSystemSoTheOperatorCanRunIt() {
    ProxyConfig c = LoadResults.parse("");
    ProxyConfig withMissing =
        new ProxyConfig(
            c.listen(),
            c.admin(),
            c.workers(),
            c.accept(),
            c.keepalive(),
            c.http(),
            c.shutdownTimeout(),
            c.pools(),
            c.upstreams(),
            c.routes(),
            waf("/nowhere/rules.conf"));
    assertEquals(List.of(), ConfigValidator.validate(withMissing));
    assertEquals(1, ConfigValidator.validateFiles(withMissing).size());
  }

  private WafConfig waf(String... files) {
    WafConfig d = ConfigDefaults.WAF;
    List<String> absolute = Arrays.stream(files).map(f -> dir.resolve(f).toString()).toList();
    return new WafConfig(
        d.enabled(),
        d.pool(),
        d.mode(),
        d.requestBodyLimit(),
        d.inMemoryBodyLimit(),
        d.crs(),
        absolute,
        d.rules());
  }
}
