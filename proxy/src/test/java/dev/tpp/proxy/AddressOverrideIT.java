package dev.tpp.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.ConfigHash;
import dev.tpp.config.ConfigLoader;
import dev.tpp.proxy.reload.ConfigWatcherIT;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code TPP_LISTEN_ADDRESS} / {@code TPP_ADMIN_ADDRESS}, run as a user would: the jar binds
 * 127.0.0.2 (Linux routes all of 127/8 to loopback) although the file says 127.0.0.1, and reports
 * the hash of the file as written, before and after a reload.
 */
class AddressOverrideIT {
  static final String CONFIG = ConfigWatcherIT.CONFIG; // binds 127.0.0.1, ephemeral ports
  static final Pattern STARTED =
      Pattern.compile(
          "event=started .* address=(\\S+) port=(\\d+) admin_address=(\\S+) admin_port=(\\d+) ");
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path dir;
  Process proxy;

  @AfterEach
  void stop() throws InterruptedException {
    if (proxy != null) {
      proxy.destroy();
      proxy.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void bindsTheOverriddenAddressAndReportsTheHashOfTheFileAsWritten() throws Exception {
    Path file = dir.resolve("proxy.yaml");
    Files.writeString(file, CONFIG.formatted("v1"));
    BlockingQueue<String> log = start(file, "127.0.0.2", "127.0.0.2");
    Matcher started = awaitLine(log, STARTED);
    assertEquals("127.0.0.2", started.group(1));
    assertEquals("127.0.0.2", started.group(3));
    int port = Integer.parseInt(started.group(2));
    int adminPort = Integer.parseInt(started.group(4));

    assertEquals("v1", get("http://127.0.0.2:" + port + "/hello").body());
    assertThrows(
        ConnectException.class,
        () -> connect("127.0.0.1", port),
        "nothing listens on the file's address");
    assertEquals(hashOf(CONFIG.formatted("v1")), configHash(adminPort));

    Files.writeString(dir.resolve("next.yaml"), CONFIG.formatted("v2"));
    Files.move(dir.resolve("next.yaml"), file, StandardCopyOption.ATOMIC_MOVE);
    awaitLine(log, Pattern.compile("event=reloaded "));
    assertEquals(
        "v2",
        get("http://127.0.0.2:" + port + "/hello").body(),
        "the reloaded config keeps the address");
    assertEquals(hashOf(CONFIG.formatted("v2")), configHash(adminPort));
  }

  @Test
  void namesTheVariableWhenItHoldsAPort() throws Exception {
    Path file = dir.resolve("proxy.yaml");
    Files.writeString(file, CONFIG.formatted("v1"));
    BlockingQueue<String> log = start(file, "127.0.0.2:8080", null);
    assertTrue(proxy.waitFor(60, TimeUnit.SECONDS));
    assertEquals(1, proxy.exitValue());
    Matcher error =
        awaitLine(log, Pattern.compile("^TPP_LISTEN_ADDRESS: \"127.0.0.2:8080\" \\(expected: .*"));
    assertTrue(error.group().contains("without a port"), error.group());
  }

  /**
   * Runs the jar on {@code file} (EndpointsFileJarIT uses it too); null addresses leave the file's
   * in force.
   */
  BlockingQueue<String> start(Path file, String listen, String admin) throws IOException {
    return start(List.of(), List.of(), file, listen, admin);
  }

  /**
   * As {@link #start(Path, String, String)}, the command run by {@code launcher} (another command
   * that then runs it: TransportIT's seccomp wrapper) with {@code jvmOptions} before {@code -jar}.
   */
  BlockingQueue<String> start(
      List<String> launcher, List<String> jvmOptions, Path file, String listen, String admin)
      throws IOException {
    List<String> command = new ArrayList<>(launcher);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-jar",
            Path.of("target", "tpp-proxy.jar").toAbsolutePath().toString(),
            "--config",
            file.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("TPP_LISTEN_ADDRESS");
    builder.environment().remove("TPP_ADMIN_ADDRESS");
    if (listen != null) {
      builder.environment().put("TPP_LISTEN_ADDRESS", listen);
    }
    if (admin != null) {
      builder.environment().put("TPP_ADMIN_ADDRESS", admin);
    }
    proxy = builder.start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(proxy.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the process ended and the test closed its streams: nothing more to read
              }
            },
            "proxy-log");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  /**
   * The first line from the process matching {@code pattern}, within 60 s (a JVM start on a busy
   * machine).
   */
  static Matcher awaitLine(BlockingQueue<String> log, Pattern pattern) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    StringBuilder seen = new StringBuilder();
    while (System.nanoTime() < deadline) {
      String line = log.poll(1, TimeUnit.SECONDS);
      if (line != null) {
        seen.append(line).append('\n');
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m;
        }
      }
    }
    throw new AssertionError("no line matching " + pattern + " in:\n" + seen);
  }

  private static void connect(String host, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2000);
    }
  }

  static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String configHash(int adminPort) throws IOException, InterruptedException {
    return get("http://127.0.0.2:" + adminPort + "/config")
        .body()
        .replaceAll("(?s).*\"hash\": \"([^\"]*)\".*", "$1");
  }

  private String hashOf(String yaml) throws Exception {
    return ConfigHash.of(ConfigLoader.parse(yaml, dir));
  }
}
