package dev.tpp.e2e.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A ConfigMap or Secret volume laid out the way the kubelet's {@code AtomicWriter} does it (both
 * kinds share it): the files live in a timestamped directory {@code
 * ..2026_11_23_22_45_01.123456789}, {@code ..data} is a symlink to it, and every key is a symlink
 * {@code key -> ..data/key}. An update writes a new timestamped directory, points {@code
 * ..data_tmp} at it and renames that over {@code ..data} (one atomic rename), then removes the old
 * directory — so a reader following {@code proxy.yaml} sees the old or the new file, never half of
 * one. Called from the agent's sync thread only.
 */
final class ConfigMapVolume {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss");
  private static final String DATA = "..data";

  private final Path dir;
  private final Charset charset;
  private Map<String, String> current;

  /** A ConfigMap volume: values are text, written as UTF-8. */
  ConfigMapVolume(Path dir) {
    this(dir, StandardCharsets.UTF_8);
  }

  /**
   * {@code charset} ISO-8859-1 writes each char as one byte: a Secret's decoded bytes, unchanged.
   */
  ConfigMapVolume(Path dir, Charset charset) {
    this.dir = dir;
    this.charset = charset;
  }

  Path dir() {
    return dir;
  }

  /** True once the volume holds some data. */
  boolean written() {
    return current != null;
  }

  /**
   * Writes {@code files} when they differ from what the volume holds; returns true when it swapped.
   */
  boolean update(Map<String, String> files) {
    if (Objects.equals(files, current)) {
      return false;
    }
    try {
      Files.createDirectories(dir);
      String stamp =
          ".."
              + LocalDateTime.now().format(STAMP)
              + "."
              + ThreadLocalRandom.current().nextInt(1_000_000_000);
      Path fresh = dir.resolve(stamp);
      Files.createDirectory(fresh);
      for (Map.Entry<String, String> file : files.entrySet()) {
        Files.writeString(fresh.resolve(file.getKey()), file.getValue(), charset);
      }
      Path data = dir.resolve(DATA);
      Path old = Files.isSymbolicLink(data) ? dir.resolve(Files.readSymbolicLink(data)) : null;
      Path tmp = dir.resolve("..data_tmp");
      Files.deleteIfExists(tmp);
      Files.createSymbolicLink(tmp, Path.of(stamp));
      Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      for (String key : files.keySet()) {
        Path link = dir.resolve(key);
        if (!Files.isSymbolicLink(link)) {
          Files.createSymbolicLink(link, Path.of(DATA, key));
        }
      }
      if (current != null) {
        for (String gone : current.keySet()) {
          if (!files.containsKey(gone)) {
            Files.deleteIfExists(dir.resolve(gone));
          }
        }
      }
      if (old != null) {
        deleteTree(old);
      }
      current = Map.copyOf(files);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("writing volume " + dir, e);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
