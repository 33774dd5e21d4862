package dev.tpp.proxy;

import dev.tpp.config.ConfigError;
import dev.tpp.config.ConfigException;
import dev.tpp.config.ConfigLoader;
import dev.tpp.config.EndpointsFile;
import dev.tpp.config.ProxyConfig;
import dev.tpp.proxy.reload.ConfigReloader;
import dev.tpp.proxy.reload.ConfigWatcher;
import dev.tpp.proxy.reload.EndpointsReloader;
import dev.tpp.proxy.server.AddressOverride;
import dev.tpp.proxy.server.ProxyServer;
import dev.tpp.waf.engine.WafCompileException;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Command line: {@code --config FILE} runs the proxy until SIGTERM (graceful drain, exit 0),
 * reloading on SIGHUP and whenever the file changes ({@link ConfigWatcher}, which also follows a
 * ConfigMap's {@code ..data} symlink swap); {@code --check FILE} validates a config like {@code
 * nginx -t}: exit 0 when valid, otherwise 1 with one line per error naming the field. {@code
 * TPP_LISTEN_ADDRESS} / {@code TPP_ADMIN_ADDRESS} replace the file's bind addresses outside the
 * config hash ({@link AddressOverride}).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !(args[0].equals("--config") || args[0].equals("--check"))) {
      System.err.println("usage: java -jar tpp-proxy.jar --config FILE | --check FILE");
      System.exit(2);
    }
    leakDetectionOffUnlessAsked();
    Path file = Path.of(args[1]);
    byte[] bytes = readOrExit(file, System.err);
    ProxyConfig config = loadOrExit(file, System.err);
    if (args[0].equals("--check")) {
      System.out.println(file + ": configuration is valid");
      System.exit(0);
    }
    run(file, config, bytes, addressesOrExit(System.err));
  }

  /**
   * Netty tracks one buffer in 128 for leaks by default, each with a stack trace taken when it is
   * allocated: 2 to 4 % of the event loop's CPU in scenario 1's profiles (bench/README.md, issue
   * 13). Off in the proxy unless {@code -Dio.netty.leakDetection.level} asks for it; the test
   * suites run it paranoid.
   */
  static void leakDetectionOffUnlessAsked() {
    if (System.getProperty("io.netty.leakDetection.level") == null
        && System.getProperty("io.netty.leakDetectionLevel") == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
  }

  private static AddressOverride addressesOrExit(PrintStream err) {
    try {
      return AddressOverride.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      System.exit(1);
      throw new AssertionError("System.exit returned");
    }
  }

  private static byte[] readOrExit(Path file, PrintStream err) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      err.println(file + ": cannot read: " + e.getMessage());
      System.exit(1);
      throw new AssertionError("System.exit returned");
    }
  }

  /**
   * Loads and fully checks {@code file} (including WAF rules); on any error prints them and exits
   * 1.
   */
  static ProxyConfig loadOrExit(Path file, PrintStream err) {
    try {
      ProxyConfig config = ConfigLoader.load(file);
      ProxyServer.checkWaf(config);
      return config;
    } catch (ConfigException e) {
      for (ConfigError error : e.errors()) {
        err.println(file + ": " + error);
      }
    } catch (WafCompileException e) {
      err.println(file + ": waf: " + e.getMessage());
    } catch (IOException e) {
      err.println(file + ": cannot read: " + e.getMessage());
    }
    System.exit(1);
    throw new AssertionError("System.exit returned");
  }

  private static void run(Path file, ProxyConfig config, byte[] bytes, AddressOverride addresses)
      throws InterruptedException {
    Logger log = LoggerFactory.getLogger("tpp.main");
    if (!addresses.isEmpty()) {
      log.info(
          "event=address_override listen_address={} admin_address={} from=environment",
          addresses.listen(),
          addresses.admin());
    }
    ProxyServer server;
    try {
      server = ProxyServer.start(config, addresses);
    } catch (Exception e) {
      log.error("event=start_failed error=\"{}\"", e.toString());
      System.exit(1);
      return;
    }
    ConfigReloader reloader = new ConfigReloader(file, server, bytes);
    try {
      ConfigWatcher.start(file, reloader);
    } catch (IOException e) {
      log.warn(
          "event=watch_unavailable file={} error=\"{}\" reload=\"SIGHUP only\"",
          file,
          e.toString());
    }
    watchEndpoints(file.resolveSibling(EndpointsFile.FILE_NAME), server, log);
    CountDownLatch stopped = new CountDownLatch(1);
    Signal.handle(
        new Signal("HUP"), s -> new Thread(() -> reloader.reload("SIGHUP"), "tpp-reload").start());
    Signal.handle(
        new Signal("TERM"),
        s -> new Thread(() -> stop(server, stopped, log), "tpp-shutdown").start());
    Signal.handle(
        new Signal("INT"),
        s -> new Thread(() -> stop(server, stopped, log), "tpp-shutdown").start());
    stopped.await();
    log.info("event=stopped");
    System.exit(0);
  }

  /**
   * {@code endpoints.yaml} beside the config, read now and whenever it changes (no reload, no new
   * config hash).
   */
  private static void watchEndpoints(Path file, ProxyServer server, Logger log) {
    EndpointsReloader endpoints = new EndpointsReloader(file, server.endpoints());
    endpoints.reloadIfChanged("start");
    try {
      ConfigWatcher.start(file, endpoints, "tpp-endpoints-watcher");
    } catch (IOException e) {
      log.warn("event=watch_unavailable file={} error=\"{}\"", file, e.toString());
    }
  }

  private static void stop(ProxyServer server, CountDownLatch stopped, Logger log) {
    try {
      server.shutdown();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      StringBuilder where = new StringBuilder();
      for (StackTraceElement f : e.getStackTrace()) {
        if (f.getClassName().startsWith("dev.tpp.")) {
          where.append(where.length() == 0 ? "" : ",").append(f);
        }
      }
      log.warn("event=shutdown_error error=\"{}\" at={}", e.toString(), where);
    } finally {
      stopped.countDown();
    }
  }
}
