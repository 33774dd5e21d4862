package dev.tpp.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Collects {@link ConfigError}s with Armeria-style messages that say what was expected, such as
 * {@code pools[1].maxQueue: -1 (expected: >= 0)}. One instance per validation run.
 */
final class Checks {
  private static final Pattern NAME = Pattern.compile(Limits.NAME);

  private final List<ConfigError> errors = new ArrayList<>();

  List<ConfigError> errors() {
    return List.copyOf(errors);
  }

  void error(String path, String message) {
    errors.add(new ConfigError(path, message));
  }

  /** {@code min <= value <= max}; the message names the bound that was crossed. */
  void range(String path, long value, long min, long max) {
    if (value < min) {
      error(path, value + " (expected: >= " + min + ")");
    } else if (value > max) {
      error(path, value + " (expected: <= " + max + ")");
    }
  }

  /** A byte size in {@code [min, max]}, shown as quantities ({@code 2Mi (expected: <= 1Mi)}). */
  void size(String path, long value, long min, long max) {
    if (value < min) {
      error(path, Quantities.format(value) + " (expected: >= " + Quantities.format(min) + ")");
    } else if (value > max) {
      error(path, Quantities.format(value) + " (expected: <= " + Quantities.format(max) + ")");
    }
  }

  /** A timeout in {@code (0, max]}, or {@code [0, max]} when {@code zeroAllowed}. */
  void timeout(String path, @Nullable Duration value, boolean zeroAllowed, Duration max) {
    if (value == null) {
      error(path, "is required");
    } else if (value.isNegative() || (value.isZero() && !zeroAllowed)) {
      error(path, shown(value) + " (expected: " + (zeroAllowed ? ">= 0" : "> 0") + ")");
    } else if (value.compareTo(max) > 0) {
      error(path, shown(value) + " (expected: <= " + Durations.format(max) + ")");
    }
  }

  /** A non-empty string; false (after recording an error) when it is missing. */
  boolean required(String path, @Nullable String value) {
    if (value == null || value.isEmpty()) {
      error(path, "is required");
      return false;
    }
    return true;
  }

  /** A pool or upstream name: required, lower-case letters, digits and '-'. */
  void name(String path, @Nullable String value) {
    if (required(path, value) && !NAME.matcher(value).matches()) {
      error(path, Durations.quote(value) + " (expected: " + Limits.NAME_EXPECTED + ")");
    }
  }

  private static String shown(Duration d) {
    return d.isNegative() ? d.toString() : Durations.format(d);
  }
}
