package dev.tpp.e2e.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigMapVolumeTest {
  @TempDir Path dir;

  @Test
  void laysOutKeysAsLinksThroughData() throws Exception {
    new ConfigMapVolume(dir).update(Map.of("proxy.yaml", "workers: 1\n"));
    assertEquals(Path.of("..data/proxy.yaml"), Files.readSymbolicLink(dir.resolve("proxy.yaml")));
    assertTrue(Files.readSymbolicLink(dir.resolve("..data")).toString().startsWith("..20"));
    assertEquals("workers: 1\n", Files.readString(dir.resolve("proxy.yaml")));
  }

  @Test
  void swapsDataAndRemovesTheOldDirectory() throws Exception {
    ConfigMapVolume volume = new ConfigMapVolume(dir);
    volume.update(Map.of("proxy.yaml", "workers: 1\n", "old.conf", "x"));
    Path first = dir.resolve(Files.readSymbolicLink(dir.resolve("..data")));
    assertTrue(volume.update(Map.of("proxy.yaml", "workers: 2\n")));
    assertEquals("workers: 2\n", Files.readString(dir.resolve("proxy.yaml")));
    assertFalse(Files.exists(first), "old timestamped directory removed");
    assertFalse(
        Files.exists(dir.resolve("old.conf")), "a key that left the ConfigMap leaves the volume");
  }

  @Test
  void unchangedDataIsNotRewritten() {
    ConfigMapVolume volume = new ConfigMapVolume(dir);
    assertTrue(volume.update(Map.of("a", "1")));
    assertFalse(volume.update(Map.of("a", "1")));
  }
}
