package dev.tpp.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.ConfigLoader;
import dev.tpp.proxy.testing.Metrics;
import dev.tpp.proxy.testing.RawClient;
import dev.tpp.proxy.testing.TestProxy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Preparation failures after parsing (a port that cannot be bound, a route whose handler cannot be
 * built) change nothing requests see, are counted and reported like any failed reload; a port
 * change that works moves the listener.
 */
class ReloadRejectionIT {

  static String config(int port, int workers, String path) {
    return """
        listen: {address: 127.0.0.1, port: %d}
        admin: {address: 127.0.0.1, port: 0}
        workers: %d
        routes: [{path: %s, return: {status: 200, body: ok}}]
        """
        .formatted(port, workers, path);
  }

  static GenerationBuilder.HandlerOverride failingOn(String path) {
    return route -> {
      if (route.path().equals(path)) {
        throw new IllegalStateException("route " + path + ": upstream pool could not be opened");
      }
      return null;
    };
  }

  @Test
  void portThatCannotBeBoundOrRouteThatCannotBeBuiltChangesNothing() throws Exception {
    try (TestProxy proxy =
            TestProxy.start(config(0, 1, "/"), Path.of("."), null, failingOn("/broken"));
        ServerSocket taken = new ServerSocket()) {
      taken.bind(
          new InetSocketAddress(
              "127.0.0.1", 0)); // no SO_REUSEPORT: the proxy cannot bind beside it
      String hash = proxy.server().configHash();
      int port = proxy.port();

      assertThrows(
          IllegalStateException.class,
          () ->
              proxy
                  .server()
                  .reload(ConfigLoader.parse(config(taken.getLocalPort(), 2, "/"), Path.of("."))));
      assertEquals(hash, proxy.server().configHash());
      assertEquals(port, proxy.port());
      assertEquals(1, proxy.server().workers().size(), "the new workers were stopped");
      assertTrue(
          proxy.server().lastError().contains("Address already in use"),
          proxy.server().lastError());
      assertEquals(200, get(port, "/"));

      assertThrows(
          IllegalStateException.class,
          () -> proxy.server().reload(ConfigLoader.parse(config(0, 3, "/broken"), Path.of("."))));
      assertEquals(hash, proxy.server().configHash());
      assertEquals("route /broken: upstream pool could not be opened", proxy.server().lastError());
      assertEquals(1, proxy.server().workers().size(), "sockets went back to the workers in force");
      assertEquals(200, get(port, "/"));

      Metrics m = proxy.metrics();
      assertEquals(2, m.value("tpp_config_reloads_total", "result", "failure"));
      assertEquals(0, m.value("tpp_config_reloads_total", "result", "success"));
      assertEquals(1, m.value("tpp_config_info", "hash", hash));
    }
  }

  @Test
  void portChangeMovesTheListener() throws Exception {
    int next;
    try (ServerSocket probe = new ServerSocket(0)) {
      next = probe.getLocalPort();
    }
    try (TestProxy proxy = TestProxy.start(config(0, 1, "/"))) {
      int old = proxy.port();
      proxy.server().reload(ConfigLoader.parse(config(next, 2, "/"), Path.of(".")));
      assertEquals(next, proxy.port());
      assertEquals(200, get(next, "/"));
      assertThrows(IOException.class, () -> get(old, "/"), "the old port is closed");
    }
  }

  private static int get(int port, String path) throws IOException {
    try (RawClient c = new RawClient(port)) {
      String out =
          c.send("GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
              .readUntilClose();
      return Integer.parseInt(out.substring(9, 12));
    }
  }
}
