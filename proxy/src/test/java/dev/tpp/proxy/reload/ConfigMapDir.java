package dev.tpp.proxy.reload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A directory laid out like a Kubernetes ConfigMap volume, updated the way the kubelet does it:
 * each version in a new timestamped directory, {@code ..data} a symlink to the current one, {@code
 * proxy.yaml} a symlink to {@code ..data/proxy.yaml} that never changes. An update writes the new
 * directory, points a temporary symlink at it, and renames that over {@code ..data} (one atomic
 * rename), then removes the old directory.
 */
public final class ConfigMapDir {
  private final Path root;
  private Path current;
  private int version;

  private ConfigMapDir(Path root) {
    this.root = root;
  }

  public static ConfigMapDir create(Path root, String yaml) throws IOException {
    return create(root, Map.of("proxy.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * A volume with these keys (a Secret's {@code tls.crt} and {@code tls.key}, say), laid out the
   * same way.
   */
  public static ConfigMapDir create(Path root, Map<String, byte[]> files) throws IOException {
    ConfigMapDir dir = new ConfigMapDir(root);
    dir.current = dir.writeVersion(files);
    Files.createSymbolicLink(root.resolve("..data"), dir.current.getFileName());
    for (String key : files.keySet()) {
      Files.createSymbolicLink(root.resolve(key), Path.of("..data", key));
    }
    return dir;
  }

  /** The path the proxy is started with; it never changes. */
  public Path file() {
    return root.resolve("proxy.yaml");
  }

  /** Publishes {@code yaml} as the next version, atomically. */
  public void update(String yaml) throws IOException {
    update(Map.of("proxy.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
  }

  /** Publishes new contents for the same keys, atomically. */
  public void update(Map<String, byte[]> files) throws IOException {
    Path next = writeVersion(files);
    Path tmp = root.resolve("..data_tmp");
    Files.createSymbolicLink(tmp, next.getFileName());
    Files.move(tmp, root.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    try (Stream<Path> old = Files.list(current)) {
      for (Path f : old.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(current);
    current = next;
  }

  private Path writeVersion(Map<String, byte[]> files) throws IOException {
    Path dir = root.resolve(String.format("..2026_11_23_22_00_00.%06d", ++version));
    Files.createDirectory(dir);
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Files.write(dir.resolve(file.getKey()), file.getValue());
    }
    return dir;
  }
}
