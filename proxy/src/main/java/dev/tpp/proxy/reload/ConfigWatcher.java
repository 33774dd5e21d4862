package dev.tpp.proxy.reload;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a changed config file and reloads it, within about 300 ms. Watches the file's
 * <em>directory</em>, not the file: a Kubernetes ConfigMap volume never rewrites {@code proxy.yaml}
 * (a symlink to {@code ..data/proxy.yaml}); the kubelet writes a new timestamped directory and
 * atomically renames a new {@code ..data} symlink over the old one, which shows up only as events
 * in the directory. Besides the events, it compares the file's bytes (through the symlinks) with
 * the last attempt every {@value #POLL_MS} ms, for file systems without notifications. After an
 * event it waits for a short quiet spell, so an editor's truncate-then-write is read once, whole.
 * The directories of the TLS certificate and key files in force are watched and polled the same way
 * (a Secret volume swaps its {@code ..data} link like a ConfigMap volume).
 *
 * <p>One daemon thread, {@code tpp-config-watcher} (or the name given to {@link #start(Path,
 * FileChangeHandler, String)}); {@link #close} stops it. The endpoints file has a watcher of its
 * own.
 */
public final class ConfigWatcher implements AutoCloseable {
  static final long POLL_MS = 250;
  private static final long QUIET_MS = 50;
  private static final int MAX_QUIET_WAITS =
      8; // a directory that never goes quiet still gets read every ~650 ms
  private static final Logger log = LoggerFactory.getLogger("tpp.reload");

  private final WatchService watch;
  private final Thread thread;
  private final Set<Path> registered = new HashSet<>();

  private ConfigWatcher(WatchService watch, FileChangeHandler reloader, String threadName) {
    this.watch = watch;
    this.thread = new Thread(() -> run(reloader), threadName);
    thread.setDaemon(true);
  }

  /** Starts watching {@code file}'s directory; changes go to {@code reloader}. */
  public static ConfigWatcher start(Path file, ConfigReloader reloader) throws IOException {
    return start(file, reloader, "tpp-config-watcher");
  }

  /**
   * Starts watching {@code file}'s directory on a thread named {@code threadName}; changes go to
   * {@code handler}.
   */
  public static ConfigWatcher start(Path file, FileChangeHandler handler, String threadName)
      throws IOException {
    Path dir =
        Objects.requireNonNull(
            file.toAbsolutePath().normalize().getParent(), "an absolute file has a parent");
    WatchService watch = dir.getFileSystem().newWatchService();
    ConfigWatcher watcher = new ConfigWatcher(watch, handler, threadName);
    try {
      watcher.register(dir);
    } catch (IOException e) {
      watch.close();
      throw e;
    }
    watcher.registerAll(handler);
    watcher.thread.start();
    log.info("event=watching file={} dir={} poll_ms={}", file, dir, POLL_MS);
    return watcher;
  }

  private void run(FileChangeHandler reloader) {
    try {
      while (true) {
        boolean event = awaitEvents(POLL_MS);
        for (int i = 0; event && i < MAX_QUIET_WAITS && awaitEvents(QUIET_MS); i++) {
          // more events: the writer is not done yet
        }
        try {
          reloader.reloadIfChanged(event ? "watch" : "poll");
          registerAll(reloader); // a reload may have brought certificate files in other directories
        } catch (RuntimeException e) {
          log.error("event=watch_reload_failed error=\"{}\"", e.toString());
        }
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      log.debug("event=watcher_stopped");
    }
  }

  private void register(Path dir) throws IOException {
    if (registered.add(dir)) {
      dir.register(
          watch,
          StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
    }
  }

  /** Watches the certificate directories too; one that cannot be watched is still polled. */
  private void registerAll(FileChangeHandler reloader) {
    for (Path dir : reloader.directories()) {
      try {
        register(dir);
      } catch (IOException | RuntimeException e) {
        log.debug("event=watch_unavailable dir={} error=\"{}\"", dir, e.toString());
      }
    }
  }

  /** True when directory events arrived within {@code ms}. */
  private boolean awaitEvents(long ms) throws InterruptedException {
    WatchKey key = watch.poll(ms, TimeUnit.MILLISECONDS);
    if (key == null) {
      return false;
    }
    key.pollEvents();
    key.reset();
    return true;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    watch.close();
    thread.interrupt();
    thread.join(2000);
  }
}
