package dev.tpp.config;

/**
 * One problem with a config, at a field path such as {@code pools[1].maxQueue}; printed as {@code
 * path: message}.
 */
public record ConfigError(String path, String message) {
  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
