package dev.tpp.waf.engine.seclang;

import dev.tpp.waf.engine.WafCompileException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

/**
 * Resolves an {@code Include} argument relative to the including file, expanding a glob in its last
 * segment.
 */
final class IncludeResolver {
  private IncludeResolver() {}

  static List<Path> resolve(Directive d) throws WafCompileException {
    String arg = d.args().get(0);
    Path base = d.baseDir() == null ? Path.of("") : d.baseDir();
    Path target = base.resolve(arg);
    String last = target.getFileName() == null ? "" : target.getFileName().toString();
    if (!last.contains("*") && !last.contains("?") && !last.contains("[")) {
      if (!Files.isRegularFile(target)) {
        throw new WafCompileException(d.where() + ": Include file not found: " + target);
      }
      return List.of(target);
    }
    Path dir = target.getParent();
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + last);
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> matcher.matches(p.getFileName()) && Files.isRegularFile(p))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new WafCompileException(d.where() + ": cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}
