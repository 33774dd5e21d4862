package dev.tpp.waf.engine.operator;

/**
 * A compiled SecLang operator ({@code @rx}, {@code @pm}, ...). Instances are built once per rule
 * set and shared read-only; pool threads call {@link #matches} concurrently, passing their own
 * per-request {@link MatchContext}.
 */
@FunctionalInterface
public interface Operator {

  /**
   * True when the operator matches {@code input} (before any {@code !} negation, which the rule
   * applies).
   */
  boolean matches(String input, MatchContext context);
}
