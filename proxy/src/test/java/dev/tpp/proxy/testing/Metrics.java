package dev.tpp.proxy.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prometheus text exposition, parsed just enough for assertions: value of a series by name and
 * labels.
 */
public final class Metrics {
  private final Map<String, Double> series = new TreeMap<>();

  public Metrics(String text) {
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
  }

  /**
   * The value of {@code name} whose labels include every {@code k=v} given (e.g. {@code "worker",
   * "0"}); 0 when absent; the sum when several series match.
   */
  public double value(String name, String... labels) {
    double sum = 0;
    for (Map.Entry<String, Double> e : series.entrySet()) {
      if (matches(e.getKey(), name, labels)) {
        sum += e.getValue();
      }
    }
    return sum;
  }

  /** True when a series of that name with those labels exists. */
  public boolean has(String name, String... labels) {
    return series.keySet().stream().anyMatch(k -> matches(k, name, labels));
  }

  public List<String> names() {
    List<String> names = new ArrayList<>();
    series.keySet().forEach(k -> names.add(k.contains("{") ? k.substring(0, k.indexOf('{')) : k));
    return names;
  }

  private static boolean matches(String key, String name, String... labels) {
    String keyName = key.contains("{") ? key.substring(0, key.indexOf('{')) : key;
    if (!keyName.equals(name)) {
      return false;
    }
    for (int i = 0; i < labels.length; i += 2) {
      if (!key.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
        return false;
      }
    }
    return true;
  }
}
