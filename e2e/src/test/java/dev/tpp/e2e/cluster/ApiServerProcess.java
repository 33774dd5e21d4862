package dev.tpp.e2e.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code kube-apiserver} that {@code up.sh} started, for the chaos scenario that stops it and
 * starts it again: found by its PID file ({@code $E2E_STATE/pids/kube-apiserver.pid}), restarted
 * with the command line it was started with (read from {@code /proc/PID/cmdline}), appending to the
 * same log, and its new PID written back so {@code down.sh} stops the new process. etcd keeps
 * running: the cluster's state survives, as with a real control-plane restart. Called from the test
 * thread only.
 */
public final class ApiServerProcess {
  private final Path pidFile;
  private final Path log;
  private List<String> command;

  ApiServerProcess(Path state) {
    this.pidFile = state.resolve("pids/kube-apiserver.pid");
    this.log = state.resolve("logs/kube-apiserver.log");
  }

  /** SIGTERM, then SIGKILL after 20 s; remembers the command line for {@link #start}. */
  public void stop() throws IOException {
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    byte[] cmdline = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
    command = Arrays.asList(new String(cmdline, StandardCharsets.UTF_8).split("\0"));
    ProcessHandle process =
        ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
    process.destroy();
    if (!process
        .onExit()
        .thenApply(p -> true)
        .completeOnTimeout(false, 20, TimeUnit.SECONDS)
        .join()) {
      process.destroyForcibly();
      process.onExit().completeOnTimeout(process, 10, TimeUnit.SECONDS).join();
    }
  }

  /**
   * Starts it again with the same arguments (it outlives this JVM, like up.sh's; down.sh stops it).
   */
  public void start() throws IOException {
    if (command == null) {
      throw new IllegalStateException("stop() first");
    }
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    Files.writeString(pidFile, process.pid() + "\n");
  }
}
