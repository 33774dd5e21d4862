package dev.tpp.waf.engine.seclang;

import java.util.ArrayList;
import java.util.List;

/**
 * A text with macros ({@code %{VAR}}, {@code %{COLLECTION.key}}), split when the rule is parsed
 * into literals and references resolved from the {@link Variable} registry; an unknown variable
 * fails the build. At run time only the referenced values are looked up, by variable and key.
 * Immutable; shared by pool threads.
 */
public final class MacroText {
  /** Looks up one reference's value for the transaction expanding the text (its thread). */
  @FunctionalInterface
  public interface Resolver {
    String value(Variable variable, String key);
  }

  private final String text;
  private final String[] literals;
  private final Variable[] variables;
  private final String[] keys;

  private MacroText(
      String text, List<String> literals, List<Variable> variables, List<String> keys) {
    this.text = text;
    this.literals = literals.toArray(String[]::new);
    this.variables = variables.toArray(Variable[]::new);
    this.keys = keys.toArray(String[]::new);
  }

  /**
   * Parses {@code text}; throws IllegalArgumentException naming a variable that is not in the
   * registry.
   */
  public static MacroText of(String text) {
    List<String> literals = new ArrayList<>();
    List<Variable> variables = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    int i = 0;
    while (true) {
      int start = text.indexOf("%{", i);
      int end = start < 0 ? -1 : text.indexOf('}', start + 2);
      if (end < 0) {
        literals.add(text.substring(i));
        return new MacroText(text, literals, variables, keys);
      }
      literals.add(text.substring(i, start));
      String ref = text.substring(start + 2, end).strip();
      int dot = ref.indexOf('.');
      String name = dot < 0 ? ref : ref.substring(0, dot);
      Variable v = Variable.byName(name);
      if (v == null) {
        throw new IllegalArgumentException("unknown variable '" + name + "' in %{" + ref + "}");
      }
      variables.add(v);
      keys.add(dot < 0 ? null : ref.substring(dot + 1));
      i = end + 1;
    }
  }

  /** Whether the text holds no macro (then {@link #expand} returns {@link #text()} itself). */
  public boolean isConstant() {
    return variables.length == 0;
  }

  /** The text as written. */
  public String text() {
    return text;
  }

  public String expand(Resolver resolver) {
    if (variables.length == 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < variables.length; i++) {
      out.append(literals[i]).append(resolver.value(variables[i], keys[i]));
    }
    return out.append(literals[variables.length]).toString();
  }

  @Override
  public String toString() {
    return text;
  }
}
