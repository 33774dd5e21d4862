package dev.tpp.waf.engine.libinjection;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.util.concurrent.TimeUnit;

/**
 * libinjection as Debian's libmodsecurity3 exports it, called through {@code
 * src/test/c/libinjection_oracle.c}, which this class compiles with gcc into a temporary directory.
 * Skips the calling test (an assumption) when gcc or libmodsecurity.so.3 is missing. Test-only: the
 * proxy never loads native code.
 */
final class LibinjectionOracle {
  static final Path SOURCE = Path.of("src/test/c/libinjection_oracle.c");
  static final String LIBRARY = System.getProperty("libmodsecurity", "libmodsecurity.so.3");

  /** libinjection's verdicts on one input; {@code fingerprint} is null when it is not SQLi. */
  record Verdict(boolean sqli, String fingerprint, boolean xss) {}

  private final Path binary;

  private LibinjectionOracle(Path binary) {
    this.binary = binary;
  }

  /**
   * Compiles the harness into {@code dir}; skips the test with the reason when that is not
   * possible.
   */
  static LibinjectionOracle build(Path dir) throws IOException, InterruptedException {
    Path binary = dir.resolve("libinjection_oracle");
    Process gcc = run(List.of("gcc", "-O1", "-o", binary.toString(), SOURCE.toString(), "-ldl"));
    assumeTrue(gcc != null, "gcc is not installed (scripts/install-deps.sh gcc libmodsecurity3)");
    String errors = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (gcc.waitFor() != 0) {
      throw new IllegalStateException("gcc failed on " + SOURCE + ":\n" + errors);
    }
    Process probe = run(List.of(binary.toString(), LIBRARY));
    probe.getOutputStream().close();
    String reason =
        new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assumeTrue(probe.waitFor() != 3, reason + " (Debian: apt-get install libmodsecurity3)");
    return new LibinjectionOracle(binary);
  }

  /**
   * One verdict per input, in order; inputs are byte strings (one char per byte, as the engine sees
   * them).
   */
  List<Verdict> verdicts(List<String> inputs) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(binary.toString(), LIBRARY)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    Thread writer = new Thread(() -> write(p, inputs), "oracle-input");
    writer.start();
    List<Verdict> out = new ArrayList<>(inputs.size());
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String[] f = line.split(" ");
        out.add(new Verdict(f[0].equals("1"), f[0].equals("1") ? f[1] : null, f[2].equals("1")));
      }
    }
    writer.join();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || out.size() != inputs.size()) {
      throw new IllegalStateException(
          "oracle answered " + out.size() + " of " + inputs.size() + " inputs");
    }
    return out;
  }

  private static void write(Process p, List<String> inputs) {
    HexFormat hex = HexFormat.of();
    try (BufferedWriter w =
        new BufferedWriter(
            new OutputStreamWriter(p.getOutputStream(), StandardCharsets.US_ASCII))) {
      for (String input : inputs) {
        w.write(hex.formatHex(input.getBytes(StandardCharsets.ISO_8859_1)));
        w.write('\n');
      }
    } catch (IOException e) {
      throw new IllegalStateException("writing to the oracle", e);
    }
  }

  /**
   * Starts {@code command} with stderr merged into stdout, or null when the program does not exist.
   */
  private static Process run(List<String> command) throws IOException {
    try {
      return new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      if (Files.exists(Path.of(command.get(0)))) {
        throw e;
      }
      return null;
    }
  }
}
