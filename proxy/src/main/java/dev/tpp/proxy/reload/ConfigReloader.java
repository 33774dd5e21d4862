package dev.tpp.proxy.reload;

import dev.tpp.config.ConfigException;
import dev.tpp.config.ConfigLoader;
import dev.tpp.config.ProxyConfig;
import dev.tpp.proxy.server.ProxyServer;
import dev.tpp.waf.engine.WafCompileException;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the config file and applies it: parse, validate, compile, then swap. Anything that fails leaves the last
 * good config in force, counted as a failed reload and reported by {@code /config} with the same field-naming
 * message as {@code --check}. Runs on a control thread (signal handler or watcher), one reload at a time.
 */
public final class ConfigReloader {
  private static final Logger log = LoggerFactory.getLogger("tpp.reload");

  private final Path file;
  private final ProxyServer server;

  public ConfigReloader(Path file, ProxyServer server) {
    this.file = file;
    this.server = server;
  }

  /** Returns true when the new config is in force. */
  public synchronized boolean reload(String trigger) {
    log.info("event=reload_started trigger={} file={}", trigger, file);
    ProxyConfig config;
    try {
      config = ConfigLoader.load(file);
    } catch (ConfigException e) {
      server.rejected(e.getMessage());
      return false;
    } catch (IOException e) {
      server.rejected(file + ": " + e.getMessage());
      return false;
    }
    try {
      server.reload(config);
      return true;
    } catch (WafCompileException e) {
      return false; // already recorded by the server
    } catch (RuntimeException e) {
      server.rejected(e.toString());
      return false;
    }
  }
}
