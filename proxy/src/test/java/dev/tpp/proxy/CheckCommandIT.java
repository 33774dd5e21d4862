package dev.tpp.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar tpp-proxy.jar --check FILE}, run as a user would: exit code and one line per
 * error.
 */
class CheckCommandIT {
  @TempDir Path dir;

  record Result(int exit, String out, String err) {}

  Result check(String yaml) throws IOException, InterruptedException {
    Path file = dir.resolve("proxy.yaml");
    Files.writeString(file, yaml);
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of("target", "tpp-proxy.jar").toAbsolutePath().toString(),
                "--check",
                file.toString())
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Result(
        p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void acceptsValidConfig() throws Exception {
    Result r =
        check(
            """
        workers: 2
        pools: [{name: files, threads: 4, maxQueue: 64, overflow: reject}]
        routes: [{path: /, return: {status: 200, body: ok}}]
        """);
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("configuration is valid"));
  }

  @Test
  void namesEveryBadFieldOnItsOwnLine() throws Exception {
    Result r =
        check(
            """
        workers: 2
        pools:
          - {name: waf, threads: 4, maxQueue: 64, overflow: reject}
          - {name: files, threads: 4, maxQueue: -1, overflow: reject}
        keepalive: {idelTimeout: 5s}
        routes: [{path: /, upstream: nowhere}]
        """);
    assertEquals(1, r.exit());
    List<String> lines = r.err().lines().toList();
    assertTrue(lines.stream().anyMatch(l -> l.contains("pools[1].maxQueue")), r.err());
    assertTrue(lines.stream().anyMatch(l -> l.contains("keepalive.idelTimeout")), r.err());
    assertTrue(lines.stream().anyMatch(l -> l.contains("routes[0].upstream")), r.err());
  }
}
