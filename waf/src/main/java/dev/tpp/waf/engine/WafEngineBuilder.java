package dev.tpp.waf.engine;

import dev.tpp.waf.engine.seclang.RuleSet;
import dev.tpp.waf.engine.seclang.SecLangParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects rule sources in load order: an optional CRS installation first (its crs-setup, then a
 * generated rule setting paranoia level and anomaly threshold, then {@code rules/*.conf}), then
 * rule files, then inline rules.
 */
public final class WafEngineBuilder {
  private static final Logger log = LoggerFactory.getLogger(WafEngineBuilder.class);

  /** What crs-setup's rules 900000 and 900110 would set, generated from the builder's arguments. */
  private static final String CRS_SETTINGS =
      "SecAction \"id:900000,phase:1,nolog,pass,t:none,"
          + "setvar:tx.paranoia_level=%d,setvar:tx.inbound_anomaly_score_threshold=%d\"";

  /** A CRS installation directory with its settings. */
  public record Crs(Path path, int paranoiaLevel, int anomalyThreshold) {}

  /**
   * A named SecLang text; {@code baseDir} resolves relative Include paths and @pmFromFile data
   * files.
   */
  public record Source(String name, String text, Path baseDir) {}

  private @Nullable Crs crs;
  private final List<Path> files = new ArrayList<>();
  private final List<Source> inline = new ArrayList<>();

  WafEngineBuilder() {}

  public WafEngineBuilder crs(Path path, int paranoiaLevel, int anomalyThreshold) {
    this.crs = new Crs(path, paranoiaLevel, anomalyThreshold);
    return this;
  }

  public WafEngineBuilder ruleFile(Path file) {
    files.add(file);
    return this;
  }

  public WafEngineBuilder rules(String name, String text, Path baseDir) {
    inline.add(new Source(name, text, baseDir));
    return this;
  }

  public @Nullable Crs crs() {
    return crs;
  }

  public List<Path> files() {
    return List.copyOf(files);
  }

  public List<Source> inline() {
    return List.copyOf(inline);
  }

  /** Parses and compiles everything; throws naming the source and line of the first problem. */
  public WafEngine build() throws WafCompileException {
    SecLangParser parser = new SecLangParser();
    if (crs != null) {
      loadCrs(parser);
    }
    for (Path file : files) {
      parser.parseFile(file);
    }
    for (Source source : inline) {
      parser.parse(source.text(), source.name(), source.baseDir());
    }
    RuleSet rules = parser.finish();
    log.info("waf rules compiled: rules={} engine={}", rules.ruleCount(), rules.engineMode());
    return new SecLangEngine(rules);
  }

  private void loadCrs(SecLangParser parser) throws WafCompileException {
    Crs crs = Objects.requireNonNull(this.crs, "crs: build() loads it only when set");
    Path setup = crs.path().resolve("crs-setup.conf");
    if (!Files.isRegularFile(setup)) {
      setup = crs.path().resolve("crs-setup.conf.example");
    }
    if (!Files.isRegularFile(setup)) {
      setup = Path.of("/etc/modsecurity/crs/crs-setup.conf");
    }
    if (!Files.isRegularFile(setup)) {
      throw new WafCompileException(crs.path() + ":0: no crs-setup.conf found");
    }
    parser.parseFile(setup);
    parser.parse(
        String.format(CRS_SETTINGS, crs.paranoiaLevel(), crs.anomalyThreshold()),
        "crs-settings",
        crs.path());
    Path rulesDir = crs.path().resolve("rules");
    try (Stream<Path> list = Files.list(rulesDir)) {
      for (Path f :
          list.filter(p -> p.getFileName().toString().endsWith(".conf")).sorted().toList()) {
        parser.parseFile(f);
      }
    } catch (IOException e) {
      throw new WafCompileException(rulesDir + ":0: cannot list CRS rules: " + e.getMessage(), e);
    }
  }
}
