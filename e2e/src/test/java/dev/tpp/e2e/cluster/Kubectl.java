package dev.tpp.e2e.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code kubectl} (and {@code helm}) against the e2e cluster, as a user would type them.
 */
public final class Kubectl {
  /** Exit code and combined output of one command. */
  public record Result(int exit, String output) {
    public Result ok() {
      if (exit != 0) {
        throw new AssertionError("exit " + exit + ": " + output);
      }
      return this;
    }
  }

  private final Path kubeconfig;
  private final Path workDir;

  Kubectl(Path kubeconfig, Path workDir) {
    this.kubeconfig = kubeconfig;
    this.workDir = workDir;
  }

  public Result kubectl(String... args) {
    List<String> command =
        new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    return run(command);
  }

  public Result run(List<String> command) {
    return run(command, "");
  }

  /** {@code kubectl apply -f -} of a YAML string. */
  public Result apply(String namespace, String yaml) {
    return run(
        List.of(
            "kubectl", "--kubeconfig", kubeconfig.toString(), "-n", namespace, "apply", "-f", "-"),
        yaml);
  }

  private Result run(List<String> command, String stdin) {
    try {
      Process p =
          new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + command);
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
