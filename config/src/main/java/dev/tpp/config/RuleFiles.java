package dev.tpp.config;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Expands {@code waf.ruleFiles}: each entry is an absolute path or a glob ({@code
 * /etc/tpp/rules/*.conf}, {@code **} crosses directories). A glob that matches nothing adds
 * nothing; a plain path that does not exist is an error. Reads the file system, so it runs off the
 * event loop (at load and reload).
 */
public final class RuleFiles {
  private RuleFiles() {}

  /**
   * The files {@code waf} names, in order: entries in the order written, the matches of one glob
   * sorted by path.
   *
   * @throws ConfigException naming {@code waf.ruleFiles[i]} for each plain path that is missing or
   *     unreadable
   */
  public static List<Path> expandRuleFiles(WafConfig waf) throws ConfigException {
    List<Path> files = new ArrayList<>();
    List<ConfigError> errors = new ArrayList<>();
    for (int i = 0; i < waf.ruleFiles().size(); i++) {
      String entry = waf.ruleFiles().get(i);
      String path = "waf.ruleFiles[" + i + "]";
      if (entry == null || entry.isEmpty()) {
        continue; // ConfigValidator names it
      }
      try {
        if (isGlob(entry)) {
          files.addAll(glob(entry));
        } else if (Files.isRegularFile(Path.of(entry))) {
          files.add(Path.of(entry));
        } else {
          errors.add(
              new ConfigError(path, Durations.quote(entry) + " does not exist or is not a file"));
        }
      } catch (IOException | RuntimeException e) {
        errors.add(
            new ConfigError(path, Durations.quote(entry) + " cannot be read: " + e.getMessage()));
      }
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return List.copyOf(files);
  }

  static boolean isGlob(String entry) {
    return entry.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0);
  }

  private static List<Path> glob(String pattern) throws IOException {
    Path base = Path.of(pattern).getRoot();
    Path rest = Path.of(pattern);
    // Walk from the deepest directory without glob characters, as deep as the pattern reaches.
    int depth = rest.getNameCount();
    for (Path name : rest) {
      if (isGlob(name.toString())) {
        break;
      }
      base = base == null ? name : base.resolve(name);
      depth--;
    }
    if (base == null || !Files.isDirectory(base)) {
      return List.of();
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    int maxDepth = pattern.contains("**") ? Integer.MAX_VALUE : depth;
    try (Stream<Path> walk = Files.walk(base, maxDepth)) {
      return walk.filter(p -> matcher.matches(p) && Files.isRegularFile(p)).sorted().toList();
    }
  }
}
