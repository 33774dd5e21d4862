package dev.tpp.config;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** A config that could not be loaded: every error found, each naming its field. */
public final class ConfigException extends Exception {
  private final List<ConfigError> errors;

  public ConfigException(List<ConfigError> errors) {
    super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  public List<ConfigError> errors() {
    return errors;
  }

  /** Always set: every constructor takes the message. */
  @Override
  public String getMessage() {
    return Objects.requireNonNull(super.getMessage(), "message");
  }
}
