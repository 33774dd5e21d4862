package dev.tpp.proxy.reload;

/** What a {@link ConfigWatcher} calls when its file may have changed; on the watcher's thread. */
@FunctionalInterface
public interface FileChangeHandler {

  /** Re-reads the file if its bytes changed since the last attempt; true when something new came into force. */
  boolean reloadIfChanged(String trigger);
}
