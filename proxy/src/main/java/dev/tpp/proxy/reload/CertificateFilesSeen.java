package dev.tpp.proxy.reload;

import dev.tpp.proxy.tls.TlsContexts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The bytes of the certificate and key files in force, as last seen (through symlinks, so a Secret
 * volume's {@code ..data} swap shows). One instance per reloader, called under its lock.
 */
final class CertificateFilesSeen {
  private final TlsContexts tls;
  private @Nullable Map<Path, byte[]> seen;

  CertificateFilesSeen(TlsContexts tls) {
    this.tls = tls;
    this.seen = read(tls.files());
  }

  /**
   * True when a file's bytes differ from the last call's (the new bytes become the baseline, so a
   * bad pair is tried once, not on every poll); false while a file is unreadable (a swap in
   * progress).
   */
  boolean changed() {
    Map<Path, byte[]> now = read(tls.files());
    if (now == null) {
      return false;
    }
    boolean changed =
        seen == null
            || !now.keySet().equals(seen.keySet())
            || now.entrySet().stream()
                .anyMatch(e -> !Arrays.equals(e.getValue(), seen.get(e.getKey())));
    seen = now;
    return changed;
  }

  private static @Nullable Map<Path, byte[]> read(List<Path> files) {
    Map<Path, byte[]> bytes = new HashMap<>();
    try {
      for (Path f : files) {
        bytes.put(f, Files.readAllBytes(f));
      }
    } catch (IOException e) {
      return null;
    }
    return bytes;
  }
}
