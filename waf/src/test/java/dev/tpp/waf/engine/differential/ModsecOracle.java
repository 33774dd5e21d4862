package dev.tpp.waf.engine.differential;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tpp.waf.engine.WafRequest;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whole requests through libmodsecurity3 (Debian's libmodsecurity.so.3), via {@code
 * src/test/c/modsec_oracle.c}, which this class compiles with gcc against libmodsecurity-dev's
 * headers into a temporary directory. Skips the calling test (an assumption) when gcc or the
 * library is missing. One process per rule file; {@link #run} may be called from several threads.
 * Test-only: the proxy never loads native code.
 */
final class ModsecOracle {
  static final Path SOURCE = Path.of("src/test/c/modsec_oracle.c");
  private static final String INSTALL =
      "(scripts/install-deps.sh --test installs gcc and libmodsecurity-dev)";

  /**
   * What libmodsecurity did with one request: the final status (200 when nothing intervened), the
   * logged ids.
   */
  record Outcome(int status, List<String> ruleIds) {}

  private final Path binary;

  private ModsecOracle(Path binary) {
    this.binary = binary;
  }

  /**
   * Compiles the harness into {@code dir}; skips the test with the reason when that is not
   * possible.
   */
  static ModsecOracle build(Path dir) throws IOException, InterruptedException {
    assumeTrue(
        Files.isRegularFile(Path.of("/usr/include/modsecurity/modsecurity.h")),
        "libmodsecurity-dev is not installed " + INSTALL);
    Path binary = dir.resolve("modsec_oracle");
    Process gcc;
    try {
      gcc =
          new ProcessBuilder(
                  "gcc", "-O1", "-o", binary.toString(), SOURCE.toString(), "-lmodsecurity")
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      assumeTrue(false, "gcc is not installed " + INSTALL);
      throw e;
    }
    String errors = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (gcc.waitFor() != 0) {
      throw new IllegalStateException("gcc failed on " + SOURCE + ":\n" + errors);
    }
    return new ModsecOracle(binary);
  }

  /**
   * Runs {@code requests} through libmodsecurity with {@code rules}; one outcome per request id.
   */
  Map<String, Outcome> run(Path rules, List<WafRequest> requests)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(binary.toString(), rules.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(p, requests));
    Map<String, Outcome> out = new java.util.HashMap<>(requests.size() * 2);
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String[] f = line.split(" ");
        out.put(f[0], new Outcome(Integer.parseInt(f[1]), List.of(f).subList(2, f.length)));
      }
    }
    writer.join();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || out.size() != requests.size()) {
      throw new IllegalStateException(
          "libmodsecurity harness (exit "
              + (p.isAlive() ? "-" : p.exitValue())
              + ") answered "
              + out.size()
              + " of "
              + requests.size()
              + " requests with "
              + rules);
    }
    return out;
  }

  private static void write(Process p, List<WafRequest> requests) {
    try (BufferedWriter w =
        new BufferedWriter(
            new OutputStreamWriter(p.getOutputStream(), StandardCharsets.US_ASCII))) {
      for (WafRequest r : requests) {
        w.write(line(r));
      }
    } catch (IOException e) {
      throw new IllegalStateException("writing to the libmodsecurity harness", e);
    }
  }

  /**
   * The harness's input line: id, then hex of method, uri, protocol, body ("-" for none) and header
   * pairs.
   */
  static String line(WafRequest r) {
    List<String> fields = new ArrayList<>();
    fields.add(r.id());
    fields.add(hex(r.method()));
    fields.add(hex(r.uri()));
    fields.add(hex(r.protocol()));
    fields.add(r.body() == null ? "-" : HexFormat.of().formatHex(r.body()));
    for (Map.Entry<String, String> h : r.headers()) {
      fields.add(hex(h.getKey()));
      fields.add(hex(h.getValue()));
    }
    return String.join("\t", fields) + "\n";
  }

  private static String hex(String bytes) {
    return HexFormat.of().formatHex(bytes.getBytes(StandardCharsets.ISO_8859_1));
  }
}
