package dev.tpp.waf.engine.crs;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pinned list of tests expected to fail ({@code ID # why} per line), and the check of a run
 * against it.
 */
final class KnownFailures {
  private KnownFailures() {}

  static Map<String, String> read(Class<?> owner, String resource) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (InputStream in = owner.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing test resource " + resource);
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        int hash = t.indexOf('#');
        String id = (hash < 0 ? t : t.substring(0, hash)).strip();
        out.put(id, hash < 0 ? "" : t.substring(hash + 1).strip());
      }
    }
    return out;
  }

  /** Fails naming every failure not in {@code known} and every known one that passed. */
  static void check(Map<String, String> known, Map<String, String> failures, List<String> passed) {
    List<String> problems = new ArrayList<>();
    failures.forEach(
        (id, why) -> {
          if (!known.containsKey(id)) {
            problems.add("new failure " + id + ": " + why);
          }
        });
    for (String id : passed) {
      if (known.containsKey(id)) {
        problems.add("listed as known but passes (remove it from the list): " + id);
      }
    }
    if (!problems.isEmpty()) {
      fail(
          problems.size()
              + " difference(s) from the known failures:\n"
              + String.join("\n", problems));
    }
  }
}
