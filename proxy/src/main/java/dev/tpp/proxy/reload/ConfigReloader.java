package dev.tpp.proxy.reload;

import dev.tpp.config.ConfigException;
import dev.tpp.config.ConfigLoader;
import dev.tpp.config.ProxyConfig;
import dev.tpp.proxy.server.ProxyServer;
import dev.tpp.waf.engine.WafCompileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the config file and applies it: parse, validate, compile, then swap. Anything that fails
 * leaves the last good config in force, counted as a failed reload and reported by {@code /config}
 * with the same field-naming message as {@code --check} (without the leading file name; several
 * errors joined by {@code "; "}). Remembers the bytes of the last attempt, applied or rejected, so
 * a watcher can ask to reload only when they changed; likewise for the TLS certificate and key
 * files in force, whose change reloads only the certificates (outside the config hash). Runs on a
 * control thread (signal handler or watcher), one reload at a time.
 */
public final class ConfigReloader implements FileChangeHandler {
  private static final Logger log = LoggerFactory.getLogger("tpp.reload");

  private final Path file;
  private final ProxyServer server;
  private byte @Nullable [] lastSeen;
  private final CertificateFilesSeen certificates;

  /**
   * @param applied the bytes the server was started from
   */
  public ConfigReloader(Path file, ProxyServer server, byte[] applied) {
    this.file = file;
    this.server = server;
    this.lastSeen = applied.clone();
    this.certificates = new CertificateFilesSeen(server.tls());
  }

  /**
   * The directories whose changes matter: the config file's and those of the certificate files in
   * force.
   */
  @Override
  public synchronized Set<Path> directories() {
    Set<Path> dirs = new LinkedHashSet<>();
    dirs.add(file.toAbsolutePath().normalize().getParent());
    for (Path f : server.tls().files()) {
      dirs.add(f.toAbsolutePath().normalize().getParent());
    }
    return dirs;
  }

  /**
   * Reloads now, even when the file did not change (SIGHUP: rule files may have). True when the new
   * config is in force.
   */
  public synchronized boolean reload(String trigger) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      log.info("event=reload_started trigger={} file={}", trigger, file);
      server.rejected("cannot read: " + e.getMessage());
      return false;
    }
    return apply(bytes, trigger);
  }

  /**
   * Reloads when the file's bytes (read through symlinks) differ from the last attempt, or else the
   * certificates when one of their files changed; an unreadable file is taken as a swap in progress
   * and skipped. True when a new config or new certificates came into force.
   */
  @Override
  public synchronized boolean reloadIfChanged(String trigger) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      log.debug("event=config_unreadable file={} error=\"{}\"", file, e.toString());
      return false;
    }
    if (!Arrays.equals(bytes, lastSeen)) {
      boolean applied = apply(bytes, trigger);
      certificates.changed(); // the files of the config in force now are the baseline
      return applied;
    }
    return certificates.changed() && server.reloadCertificates(trigger);
  }

  private boolean apply(byte[] bytes, String trigger) {
    lastSeen = bytes;
    log.info("event=reload_started trigger={} file={}", trigger, file);
    ProxyConfig config;
    try {
      Path dir = file.toAbsolutePath().normalize().getParent();
      config =
          ConfigLoader.parse(
              new String(bytes, StandardCharsets.UTF_8), dir == null ? Path.of("") : dir);
    } catch (ConfigException e) {
      server.rejected(e.getMessage());
      return false;
    }
    try {
      server.reload(config);
      return true;
    } catch (WafCompileException | RuntimeException e) {
      return false; // the server recorded why
    }
  }
}
