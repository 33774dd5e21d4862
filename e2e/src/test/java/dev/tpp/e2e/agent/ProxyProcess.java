package dev.tpp.e2e.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One pod's proxy "container": a local {@code java -jar tpp-proxy.jar --config FILE} process. The proxy takes its
 * listen and admin addresses from the config file, so the agent gives it a per-pod copy of the ConfigMap's
 * {@code proxy.yaml} (written with the same atomic {@code ..data} swap) in which both addresses are the pod's
 * 127.0.0.N and absolute paths are mapped into the pod's directory: under a volume's mountPath to that volume,
 * anything else (a files root baked into the image) to {@code <pod>/rootfs}. Called from the sync thread only.
 */
final class ProxyProcess {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Path podDir;
  private final String ip;
  private final Map<String, Path> mounts; // container mountPath -> host directory
  private final String configPath; // the --config argument as the container sees it
  private final ConfigMapVolume effective;
  private Process process;
  private Instant startedAt;
  private int restarts;

  ProxyProcess(Path podDir, String ip, Map<String, Path> mounts, String configPath) {
    this.podDir = podDir;
    this.ip = ip;
    this.mounts = mounts;
    this.configPath = configPath;
    this.effective = new ConfigMapVolume(podDir.resolve("effective"));
  }

  /** Re-renders the per-pod config from the volume; true when it changed (the swap is atomic, like the volume). */
  boolean refreshConfig() {
    Path source = hostPath(configPath);
    try {
      JsonNode config = YAML.readTree(Files.readString(source));
      if (!(config instanceof ObjectNode root)) {
        return false;
      }
      for (String listener : List.of("listen", "admin")) {
        JsonNode node = root.get(listener);
        (node instanceof ObjectNode o ? o : root.putObject(listener)).put("address", ip);
      }
      mapPaths(root);
      return effective.update(Map.of(source.getFileName().toString(), YAML.writeValueAsString(root)));
    } catch (IOException e) {
      throw new UncheckedIOException("rendering " + source, e);
    }
  }

  private void mapPaths(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      object.fields().forEachRemaining(fields::add);
      for (Map.Entry<String, JsonNode> field : fields) {
        JsonNode value = field.getValue();
        if (value.isTextual() && field.getKey().equals("root")) {
          object.set(field.getKey(), TextNode.valueOf(localDir(value.asText())));
        } else if (field.getKey().equals("ruleFiles") && value instanceof ArrayNode files) {
          for (int i = 0; i < files.size(); i++) {
            files.set(i, TextNode.valueOf(hostPath(files.get(i).asText()).toString()));
          }
        } else {
          mapPaths(value);
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(this::mapPaths);
    }
  }

  private String localDir(String path) {
    Path mapped = hostPath(path);
    try {
      Files.createDirectories(mapped);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return mapped.toString();
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
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + hostPath("/tmp"),
        "-jar", proxyJar.toString()));
    for (int i = 0; i < args.size(); i++) {
      boolean config = i > 0 && args.get(i - 1).equals("--config");
      command.add(config ? effective.dir().resolve(hostPath(args.get(i)).getFileName()).toString()
          : args.get(i).startsWith("/") ? hostPath(args.get(i)).toString() : args.get(i));
    }
    Files.createDirectories(hostPath("/tmp"));
    Path log = podDir.resolve("proxy.log");
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    startedAt = Instant.now();
  }

  /** SIGHUP: the contract's "reload now", sent after the per-pod copy was swapped. */
  void signalReload() throws IOException {
    if (alive()) {
      new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
    }
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
