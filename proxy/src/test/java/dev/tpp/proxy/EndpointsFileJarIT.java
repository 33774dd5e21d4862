package dev.tpp.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar as a user runs it, with {@code endpoints.yaml} beside {@code proxy.yaml}: the file moves
 * an upstream to other endpoints without a reload (same process, same config hash, no reload
 * counted), and a malformed file keeps the last good set.
 */
class EndpointsFileJarIT {
  static final String CONFIG =
      """
      listen: {address: 127.0.0.1, port: 0}
      admin: {address: 127.0.0.1, port: 0}
      workers: 1
      upstreams: [{name: backend, endpoints: ["127.0.0.1:%d"]}]
      routes: [{path: /, upstream: backend}]
      """;

  @TempDir Path dir;
  private final AddressOverrideIT runner = new AddressOverrideIT();
  private final List<HttpServer> origins = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    runner.stop();
    origins.forEach(o -> o.stop(0));
  }

  private int origin(String name) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = name.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    origins.add(server);
    return server.getAddress().getPort();
  }

  private void write(Path file, String text) throws Exception {
    Path tmp = dir.resolve(".next");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void movesTheUpstreamWithoutAReloadAndKeepsTheLastGoodSet() throws Exception {
    int a = origin("A");
    int b = origin("B");
    Path config = dir.resolve("proxy.yaml");
    Files.writeString(config, CONFIG.formatted(a));
    runner.dir = dir;
    BlockingQueue<String> log = runner.start(config, null, null);
    Matcher started = AddressOverrideIT.awaitLine(log, AddressOverrideIT.STARTED);
    String data = "http://127.0.0.1:" + started.group(2) + "/";
    String admin = "http://127.0.0.1:" + started.group(4);
    assertEquals("A", AddressOverrideIT.get(data).body());
    String hash = AddressOverrideIT.get(admin + "/config").body();

    write(
        dir.resolve("endpoints.yaml"),
        "upstreams: [{name: backend, endpoints: ['127.0.0.1:" + b + "']}]\n");
    AddressOverrideIT.awaitLine(log, Pattern.compile("event=endpoints_file_loaded .* upstreams=1"));
    assertEquals("B", AddressOverrideIT.get(data).body());
    assertEquals(
        hash,
        AddressOverrideIT.get(admin + "/config").body(),
        "same config, same hash, same load time");
    String metrics = AddressOverrideIT.get(admin + "/metrics").body();
    assertTrue(
        metrics.contains("tpp_upstream_endpoints{state=\"healthy\",upstream=\"backend\"} 1.0"),
        metrics);

    write(
        dir.resolve("endpoints.yaml"), "upstreams: [{name: backend, endpoints: ['127.0.0.1']}]\n");
    AddressOverrideIT.awaitLine(
        log, Pattern.compile("event=endpoints_file_invalid .*is not host:port"));
    assertEquals(
        "B", AddressOverrideIT.get(data).body(), "a malformed file keeps the last good set");
    assertTrue(runner.proxy.isAlive());
  }
}
