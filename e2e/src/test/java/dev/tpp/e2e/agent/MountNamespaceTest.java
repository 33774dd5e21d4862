package dev.tpp.e2e.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real unshare: the process sees its volumes at their mountPaths, nested ones included; the host
 * sees nothing.
 */
class MountNamespaceTest {
  @TempDir Path pod;

  @Test
  void processSeesVolumesAtTheirMountPathsAndTheHostIsUntouched() throws Exception {
    String root = "/etc/tpp-mount-namespace-test-" + ProcessHandle.current().pid();
    Path config = Files.createDirectories(pod.resolve("volumes/config"));
    new ConfigMapVolume(config).update(Map.of("proxy.yaml", "workers: 1\n"));
    Path secret = Files.createDirectories(pod.resolve("volumes/tls-0"));
    new ConfigMapVolume(secret, StandardCharsets.ISO_8859_1).update(Map.of("tls.crt", "CERT"));
    Files.createDirectories(
        config.resolve("tls/site")); // the nested mount point, as PodSandbox makes it
    Map<String, Path> mounts = new LinkedHashMap<>();
    mounts.put(root + "/tls/site", secret);
    mounts.put(root, config);
    var namespace = new MountNamespace(Files.createDirectories(pod.resolve("ns")), mounts);
    Process p =
        new ProcessBuilder(
                namespace.wrap(
                    List.of(
                        "sh",
                        "-c",
                        "cat "
                            + root
                            + "/proxy.yaml "
                            + root
                            + "/tls/site/tls.crt; echo; echo $$")))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    assertEquals("workers: 1\nCERT\n" + p.pid() + "\n", out, "the same process, exec'd: " + out);
    assertFalse(Files.exists(Path.of(root)), "nothing created on the host");
  }
}
