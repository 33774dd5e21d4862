package dev.tpp.config;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One value of the parsed YAML tree (plain maps, lists and scalars) with its field path, such as
 * {@code pools[1].maxQueue}. Typed getters return the value or, when it is absent, the given
 * default; when it has the wrong type they record an error at this path and return the default, so
 * reading goes on and every error is reported. Used by the loader on its calling thread only.
 */
final class YamlNode {
  private final String path;
  private final @Nullable Object value;
  private final List<ConfigError> errors;
  private final Set<String> readKeys = new LinkedHashSet<>();

  YamlNode(String path, @Nullable Object value, List<ConfigError> errors) {
    this.path = path;
    this.value = value;
    this.errors = errors;
  }

  String path() {
    return path;
  }

  /**
   * True when the key is present with a non-null value ({@code key: ~} means "use the default").
   */
  boolean isSet() {
    return value != null;
  }

  /** The child at {@code key}; this node must be a mapping (checked by {@link #isMapping()}). */
  YamlNode get(String key) {
    readKeys.add(key);
    Object child = value instanceof Map ? ((Map<?, ?>) value).get(key) : null;
    return new YamlNode(path.isEmpty() ? key : path + "." + key, child, errors);
  }

  /** True when this node is a mapping; records an error when it is set but is something else. */
  boolean isMapping() {
    if (value instanceof Map) {
      return true;
    }
    if (value != null) {
      error(shown() + " is not a mapping (expected: {key: value, ...})");
    }
    return false;
  }

  /**
   * Reads this mapping with {@code reader}, then reports every key the reader did not ask for as an
   * unknown field; {@code otherwise} when the node is absent or not a mapping (the latter is
   * reported).
   */
  <T> T mapping(T otherwise, Function<YamlNode, T> reader) {
    if (!isMapping()) {
      return otherwise;
    }
    T result = reader.apply(this);
    rejectUnknownKeys();
    return result;
  }

  /** Records an error for every key of this mapping that no {@link #get} asked for. */
  void rejectUnknownKeys() {
    if (value instanceof Map) {
      for (Object key : ((Map<?, ?>) value).keySet()) {
        if (!readKeys.contains(String.valueOf(key))) {
          String child = path.isEmpty() ? String.valueOf(key) : path + "." + key;
          errors.add(new ConfigError(child, "unknown field"));
        }
      }
    }
  }

  /**
   * The elements of this sequence, each with its index in the path; empty when absent or not a
   * sequence.
   */
  List<YamlNode> elements() {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List)) {
      error(shown() + " is not a list (expected: [item, ...])");
      return List.of();
    }
    List<?> list = (List<?>) value;
    List<YamlNode> nodes = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      nodes.add(new YamlNode(path + "[" + i + "]", list.get(i), errors));
    }
    return Collections.unmodifiableList(nodes);
  }

  String string(String otherwise) {
    if (value == null) {
      return otherwise;
    }
    if (value instanceof Map || value instanceof List) {
      error("is a " + (value instanceof Map ? "mapping" : "list") + " (expected: a string)");
      return otherwise;
    }
    // YAML reads `body: 404` or `host: true` as a number or boolean; the text the user wrote is
    // what they meant.
    return String.valueOf(value);
  }

  int integer(int otherwise) {
    if (value == null) {
      return otherwise;
    }
    if (value instanceof Integer) {
      return (Integer) value;
    }
    if (value instanceof Long || value instanceof BigInteger) {
      error(value + " is out of range (expected: <= " + Integer.MAX_VALUE + ")");
    } else {
      error(shown() + " is not an integer");
    }
    return otherwise;
  }

  boolean bool(boolean otherwise) {
    if (value == null) {
      return otherwise;
    }
    if (value instanceof Boolean) {
      return (Boolean) value;
    }
    error(shown() + " is not a boolean (expected: true or false)");
    return otherwise;
  }

  Duration duration(Duration otherwise) {
    if (value instanceof Integer && (Integer) value == 0) {
      return Duration.ZERO;
    }
    if (value instanceof String) {
      return convert(v -> Durations.parse((String) v), otherwise);
    }
    if (value != null) {
      error(shown() + " is not a duration " + Durations.EXPECTED);
    }
    return otherwise;
  }

  long size(long otherwise) {
    if (value instanceof Map || value instanceof List || value instanceof Boolean) {
      error(shown() + " is not a size " + Quantities.EXPECTED);
      return otherwise;
    }
    return convert(Quantities::parseValue, otherwise);
  }

  /** A lower-case enum name such as {@code reject}; the error lists the allowed names. */
  <E extends Enum<E>> E enumeration(Class<E> type, E otherwise) {
    if (value == null) {
      return otherwise;
    }
    List<String> names = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      String name = constant.name().toLowerCase(Locale.ROOT);
      if (name.equals(value)) {
        return constant;
      }
      names.add(name);
    }
    error(shown() + " (expected: one of " + String.join(", ", names) + ")");
    return otherwise;
  }

  void error(String message) {
    errors.add(new ConfigError(path, message));
  }

  private <T> T convert(Function<Object, T> parser, T otherwise) {
    if (value == null) {
      return otherwise;
    }
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      error(String.valueOf(e.getMessage()));
      return otherwise;
    }
  }

  private String shown() {
    if (value instanceof String) {
      return Durations.quote((String) value);
    }
    if (value instanceof Map || value instanceof List) {
      return value instanceof Map ? "a mapping" : "a list";
    }
    return String.valueOf(value);
  }
}
