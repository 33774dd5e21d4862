package dev.tpp.proxy.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.testing.Metrics;
import dev.tpp.proxy.testing.TestProxy;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live proxy's {@code /metrics} passes {@code promtool check metrics} (HELP on every metric,
 * Prometheus naming), with every kind of meter present: pools, routes, WAF, event loops, reloads,
 * and the JVM and process binders. promtool comes from Debian's {@code prometheus} package, which
 * {@code scripts/install-deps.sh --test} installs.
 */
class MetricsExpositionIT {
  @TempDir Path root;

  @Test
  void liveMetricsPassPromtoolWithJvmAndProcessMeters() throws Exception {
    Files.writeString(root.resolve("index.html"), "hi\n");
    try (TestProxy proxy =
        TestProxy.start(
            """
        workers: 2
        pools:
          - {name: waf, threads: 1, maxQueue: 8, overflow: reject}
          - {name: files, threads: 1, maxQueue: 8, overflow: reject}
          - {name: direct, threads: 0, maxQueue: 0, overflow: inline}
        routes:
          - {path: /static/, files: {root: "%s", pool: files}}
          - {path: /hello, return: {status: 200, body: hi}}
        waf:
          enabled: true
          pool: waf
          rules: |
            SecRule ARGS "@rx evil" "id:1,phase:2,deny,status:403"
        """
                .formatted(root))) {
      assertEquals(200, proxy.get("/static/index.html").statusCode());
      assertEquals(403, proxy.get("/hello?q=evil").statusCode());
      assertEquals(404, proxy.get("/missing").statusCode());
      String text = proxy.admin("/metrics").body();

      Metrics metrics = new Metrics(text);
      for (String name :
          List.of(
              "tpp_pool_threads",
              "tpp_pool_queue_capacity",
              "jvm_gc_memory_allocated_bytes_total",
              "jvm_memory_used_bytes",
              "jvm_threads_live_threads",
              "process_cpu_usage",
              "process_cpu_seconds_total",
              "process_files_open_files")) {
        assertTrue(metrics.has(name), name + " is exported");
      }
      Promtool result = promtool(text);
      assertEquals(0, result.exit(), "promtool check metrics:\n" + result.output());
      assertEquals("", result.output().strip(), "promtool has no warnings");
    }
  }

  private record Promtool(int exit, String output) {}

  private static Promtool promtool(String exposition) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      throw new AssertionError(
          "promtool is missing: run scripts/install-deps.sh --test (package prometheus)", e);
    }
    try (OutputStream in = p.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool finished");
    return new Promtool(p.exitValue(), out.toString(StandardCharsets.UTF_8));
  }
}
