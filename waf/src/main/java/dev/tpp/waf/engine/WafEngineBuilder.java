package dev.tpp.waf.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects rule sources in load order: an optional CRS installation first (its crs-setup, then a generated rule
 * setting paranoia level and anomaly threshold, then {@code rules/*.conf}), then rule files, then inline rules.
 */
public final class WafEngineBuilder {
  /** A CRS installation directory with its settings. */
  public record Crs(Path path, int paranoiaLevel, int anomalyThreshold) {}

  /** A named SecLang text; {@code baseDir} resolves relative Include paths and @pmFromFile data files. */
  public record Source(String name, String text, Path baseDir) {}

  private Crs crs;
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

  public Crs crs() {
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
    throw new WafCompileException("the SecLang engine is being written (issue 4)");
  }
}
