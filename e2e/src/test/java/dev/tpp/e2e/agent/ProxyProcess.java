package dev.tpp.e2e.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One pod's proxy "container": a local {@code java -jar tpp-proxy.jar --config FILE} process run on
 * the pod's ConfigMap volume file as mounted, unmodified, so the proxy reports the operator's
 * config hash and follows the volume's {@code ..data} swap itself, as in a real pod. Pods share
 * this machine's network, so each process gets its pod's IP ({@link PodNetwork}) through the
 * proxy's {@code TPP_LISTEN_ADDRESS} / {@code TPP_ADMIN_ADDRESS} (outside the hash). Absolute paths
 * in arguments are mapped into the pod's directory (a volume's mountPath to that volume, anything
 * else to {@code <pod>/rootfs}); paths inside the config file are not, unless the pod runs in a
 * {@link MountNamespace} (pods with Secret volumes): otherwise they resolve on this machine. Called
 * from the sync thread only.
 */
final class ProxyProcess {
  private final Path podDir;
  private final String ip;
  private final Map<String, Path> mounts; // container mountPath -> host directory
  private final MountNamespace namespace; // null: the host's mounts
  private Process process;
  private Instant startedAt;
  private int restarts;

  ProxyProcess(Path podDir, String ip, Map<String, Path> mounts, MountNamespace namespace) {
    this.podDir = podDir;
    this.ip = ip;
    this.mounts = mounts;
    this.namespace = namespace;
  }

  /** Where a path inside the container lives on this machine. */
  Path hostPath(String path) {
    for (Map.Entry<String, Path> mount : mounts.entrySet()) {
      String prefix = mount.getKey().endsWith("/") ? mount.getKey() : mount.getKey() + "/";
      if (path.equals(mount.getKey()) || path.startsWith(prefix)) {
        return mount.getValue().resolve(path.substring(Math.min(path.length(), prefix.length())));
      }
    }
    return podDir.resolve("rootfs").resolve(path.replaceFirst("^/+", ""));
  }

  void start(Path proxyJar, List<String> args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + hostPath("/tmp"),
                "-jar",
                proxyJar.toString()));
    for (String arg : args) {
      command.add(arg.startsWith("/") ? hostPath(arg).toString() : arg);
    }
    Files.createDirectories(hostPath("/tmp"));
    Path log = podDir.resolve("proxy.log");
    ProcessBuilder builder =
        new ProcessBuilder(namespace == null ? command : namespace.wrap(command))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("TPP_LISTEN_ADDRESS", ip);
    builder.environment().put("TPP_ADMIN_ADDRESS", ip);
    process = builder.start();
    startedAt = Instant.now();
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  boolean started() {
    return process != null;
  }

  /** CrashLoopBackOff, shortened: 1s after the first exit, doubling, at most 20s. */
  boolean backoffOver() {
    long delay = Math.min(20, 1L << Math.min(restarts, 5));
    return startedAt == null || Instant.now().isAfter(startedAt.plusSeconds(delay));
  }

  void markRestart() {
    restarts++;
  }

  int restarts() {
    return restarts;
  }

  long pid() {
    return process == null ? -1 : process.pid();
  }

  Instant startedAt() {
    return startedAt;
  }

  /** SIGTERM, without waiting: the proxy starts draining. */
  void terminate() {
    if (process != null) {
      process.destroy();
    }
  }

  /** SIGTERM, then SIGKILL after {@code graceSeconds}: the proxy drains in between. */
  void stop(long graceSeconds) {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
