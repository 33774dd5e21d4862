package dev.tpp.proxy.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.ConfigHash;
import dev.tpp.config.ConfigLoader;
import dev.tpp.proxy.server.Poll;
import dev.tpp.proxy.testing.TestProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watcher sees a kubelet-style ConfigMap update (a ..data symlink swap) and a plain rewrite,
 * within 1 s.
 */
public class ConfigWatcherIT {
  /** A one-route config on 127.0.0.1, ephemeral ports; {@code %s} is the body of {@code /hello}. */
  public static final String CONFIG =
      """
      listen: {address: 127.0.0.1, port: 0}
      admin: {address: 127.0.0.1, port: 0}
      workers: 1
      routes: [{path: /hello, return: {status: 200, body: "%s"}}]
      """;

  @Test
  void appliesConfigMapSymlinkSwapWithinOneSecond(@TempDir Path tmp) throws Exception {
    ConfigMapDir configMap = ConfigMapDir.create(tmp, CONFIG.formatted("v1"));
    try (TestProxy proxy = TestProxy.start(Files.readString(configMap.file()), tmp, null);
        ConfigWatcher watcher =
            ConfigWatcher.start(
                configMap.file(),
                new ConfigReloader(
                    configMap.file(), proxy.server(), Files.readAllBytes(configMap.file())))) {
      assertEquals("v1", proxy.get("/hello").body());

      configMap.update(CONFIG.formatted("v2"));
      assertTrue(
          within(1000, () -> proxy.get("/hello").body().equals("v2")), "v2 served within 1 s");
      assertEquals(
          ConfigHash.of(ConfigLoader.parse(CONFIG.formatted("v2"), tmp)),
          proxy.server().configHash());

      configMap.update("workers: [not a number\n");
      assertTrue(
          within(1000, () -> proxy.server().lastError() != null), "bad config noticed within 1 s");
      assertTrue(
          proxy.server().lastError().startsWith("YAML syntax error"), proxy.server().lastError());
      assertEquals("v2", proxy.get("/hello").body(), "the last good config stays in force");
      assertEquals(1, proxy.metrics().value("tpp_config_reloads_total", "result", "failure"));

      configMap.update(CONFIG.formatted("v3"));
      assertTrue(
          within(1000, () -> proxy.get("/hello").body().equals("v3")),
          "a later good config applies");
      assertEquals(null, proxy.server().lastError());
      assertEquals(2, proxy.metrics().value("tpp_config_reloads_total", "result", "success"));
      assertEquals(
          1,
          proxy.metrics().value("tpp_config_reloads_total", "result", "failure"),
          "rejected once");
    }
  }

  @Test
  void forcedReloadAppliesEvenWithoutChangeAndPlainRewritesAreSeen(@TempDir Path tmp)
      throws Exception {
    Path file = tmp.resolve("proxy.yaml");
    Files.writeString(file, CONFIG.formatted("a"));
    try (TestProxy proxy = TestProxy.start(Files.readString(file), tmp, null)) {
      ConfigReloader reloader = new ConfigReloader(file, proxy.server(), Files.readAllBytes(file));
      assertFalse(reloader.reloadIfChanged("test"), "unchanged bytes: nothing to do");
      assertTrue(reloader.reload("SIGHUP"), "SIGHUP reloads the same file");
      try (ConfigWatcher watcher = ConfigWatcher.start(file, reloader)) {
        Files.writeString(file, CONFIG.formatted("b"));
        assertTrue(
            within(1000, () -> proxy.get("/hello").body().equals("b")),
            "rewrite applied within 1 s");
      }
      assertEquals(2, proxy.metrics().value("tpp_config_reloads_total", "result", "success"));
    }
  }

  private static boolean within(long ms, java.util.concurrent.Callable<Boolean> check)
      throws Exception {
    return Poll.millisUntil(ms, check) >= 0;
  }
}
