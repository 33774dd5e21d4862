package dev.tpp.waf.engine.seclang;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One logical SecLang line (continuations joined): its name, unquoted arguments and where it came
 * from.
 */
record Directive(String name, List<String> args, String source, int line, @Nullable Path baseDir) {

  String where() {
    return source + ":" + line;
  }
}
