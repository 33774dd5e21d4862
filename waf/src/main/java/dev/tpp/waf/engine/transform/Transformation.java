package dev.tpp.waf.engine.transform;

import java.util.function.UnaryOperator;

/**
 * One named SecLang transformation ({@code t:urlDecodeUni}). Stateless and shared by every pool
 * thread: strings are byte strings (one char per byte, ISO-8859-1), as ModSecurity sees them.
 */
public record Transformation(String name, UnaryOperator<String> function) {

  public String apply(String input) {
    return function.apply(input);
  }
}
