package dev.tpp.e2e.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a pod's process in its own mount namespace with its volumes at their mountPaths, as a
 * container runtime would, so absolute paths inside proxy.yaml (a TLS Secret at {@code
 * /etc/tpp/tls/NAME}) resolve to the pod's volumes and not to this machine. {@code unshare --mount}
 * (plus {@code --user --map-root-user} when not root), then a shell that mounts and {@code exec}s
 * the process, so the PID the agent sees is the proxy's own. Nothing changes on the host: a
 * top-level directory that receives mount points (e.g. {@code /etc}) is overlaid with a tmpfs upper
 * layer inside the namespace, so {@code mkdir /etc/tpp} happens there only. Mounts are made parents
 * first; a mountPath nested in another volume's must already exist in that volume's directory (the
 * kubelet creates such mount points too). Immutable; built on the agent's sync thread.
 */
final class MountNamespace {
  private final Path scratch;
  private final Map<String, Path> mounts; // container mountPath -> host directory

  /** {@code scratch}: an empty host directory of the pod for the namespace's tmpfs. */
  MountNamespace(Path scratch, Map<String, Path> mounts) {
    this.scratch = scratch;
    this.mounts = mounts;
  }

  /**
   * {@code command} wrapped: the same process (same PID), seeing the volumes at their mountPaths.
   */
  List<String> wrap(List<String> command) {
    List<String> wrapped =
        new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private"));
    if (!"root".equals(System.getProperty("user.name"))) {
      wrapped.addAll(List.of("--user", "--map-root-user"));
    }
    wrapped.addAll(List.of("sh", "-c", script(), "sh"));
    wrapped.addAll(command);
    return wrapped;
  }

  String script() {
    StringBuilder s = new StringBuilder("set -e\n");
    s.append("mount -t tmpfs tpp-ns ").append(q(scratch)).append('\n');
    List<String> paths =
        mounts.keySet().stream().sorted(Comparator.comparingInt(String::length)).toList();
    Set<String> overlaid = new LinkedHashSet<>();
    for (String path : paths) {
      String top = "/" + Path.of(path).getName(0);
      if (!Files.exists(Path.of(path)) && Files.isDirectory(Path.of(top)) && overlaid.add(top)) {
        String layer = scratch.resolve("overlay" + overlaid.size()).toString();
        s.append("mkdir ")
            .append(q(layer))
            .append(' ')
            .append(q(layer + "/upper"))
            .append(' ')
            .append(q(layer + "/work"))
            .append('\n');
        s.append("mount -t overlay overlay -o lowerdir=")
            .append(top)
            .append(",upperdir=")
            .append(layer)
            .append("/upper,workdir=")
            .append(layer)
            .append("/work ")
            .append(top)
            .append('\n');
      }
      s.append("mkdir -p ")
          .append(q(path))
          .append(" && mount --bind ")
          .append(q(mounts.get(path)))
          .append(' ')
          .append(q(path))
          .append('\n');
    }
    return s.append("exec \"$@\"\n").toString();
  }

  private static String q(Object value) {
    return "'" + value.toString().replace("'", "'\\''") + "'";
  }
}
