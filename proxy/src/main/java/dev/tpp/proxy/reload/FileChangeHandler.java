package dev.tpp.proxy.reload;

import java.nio.file.Path;
import java.util.Set;

/** What a {@link ConfigWatcher} calls when its file may have changed; on the watcher's thread. */
@FunctionalInterface
public interface FileChangeHandler {

  /**
   * Re-reads the file if its bytes changed since the last attempt; true when something new came
   * into force.
   */
  boolean reloadIfChanged(String trigger);

  /**
   * More directories whose changes matter (certificate files'), watched beside the file's own; none
   * by default.
   */
  default Set<Path> directories() {
    return Set.of();
  }
}
