package dev.tpp.operator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code promtool check metrics} (Debian's {@code prometheus} package, installed by {@code
 * scripts/install-deps.sh --test}) over a Prometheus text exposition: HELP on every metric,
 * Prometheus naming.
 */
final class Promtool {
  private Promtool() {}

  record Result(int exit, String output) {}

  static Result checkMetrics(String exposition) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(
          "promtool is missing: run scripts/install-deps.sh --test (package prometheus)", e);
    }
    try (OutputStream in = p.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("promtool did not finish within 60 s");
    }
    return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
  }
}
