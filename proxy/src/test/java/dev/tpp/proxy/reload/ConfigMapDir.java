package dev.tpp.proxy.reload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A directory laid out like a Kubernetes ConfigMap volume, updated the way the kubelet does it: each version in a new
 * timestamped directory, {@code ..data} a symlink to the current one, {@code proxy.yaml} a symlink to {@code
 * ..data/proxy.yaml} that never changes. An update writes the new directory, points a temporary symlink at it, and
 * renames that over {@code ..data} (one atomic rename), then removes the old directory.
 */
public final class ConfigMapDir {
  private final Path root;
  private Path current;
  private int version;

  private ConfigMapDir(Path root) {
    this.root = root;
  }

  public static ConfigMapDir create(Path root, String yaml) throws IOException {
    ConfigMapDir dir = new ConfigMapDir(root);
    dir.current = dir.writeVersion(yaml);
    Files.createSymbolicLink(root.resolve("..data"), dir.current.getFileName());
    Files.createSymbolicLink(root.resolve("proxy.yaml"), Path.of("..data", "proxy.yaml"));
    return dir;
  }

  /** The path the proxy is started with; it never changes. */
  public Path file() {
    return root.resolve("proxy.yaml");
  }

  /** Publishes {@code yaml} as the next version, atomically. */
  public void update(String yaml) throws IOException {
    Path next = writeVersion(yaml);
    Path tmp = root.resolve("..data_tmp");
    Files.createSymbolicLink(tmp, next.getFileName());
    Files.move(tmp, root.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    Files.delete(current.resolve("proxy.yaml"));
    Files.delete(current);
    current = next;
  }

  private Path writeVersion(String yaml) throws IOException {
    Path dir = root.resolve(String.format("..2026_11_23_22_00_00.%06d", ++version));
    Files.createDirectory(dir);
    Files.writeString(dir.resolve("proxy.yaml"), yaml, StandardCharsets.UTF_8);
    return dir;
  }
}
