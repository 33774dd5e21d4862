package dev.tpp.operator.validation;

import java.util.List;

/**
 * A spec the proxy would refuse: every problem, each naming its field ({@code
 * spec.pools[1].maxQueue: ...}).
 */
public final class InvalidSpecException extends Exception {
  private final List<String> errors;

  public InvalidSpecException(List<String> errors) {
    super(String.join("; ", errors));
    this.errors = List.copyOf(errors);
  }

  public List<String> errors() {
    return errors;
  }
}
