package dev.tpp.waf.engine.seclang;

import org.jspecify.annotations.Nullable;

/** A non-disruptive action run, in order, when a rule (with its whole chain) matches. Immutable. */
public sealed interface RuleAction {

  /**
   * {@code setvar:collection.name=value}; op is '=', '+', '-', '!' (delete, value null) or ' ' (set
   * to 1). The name is lower-cased at parse time (collections' keys are case-insensitive).
   */
  record SetVar(Variable collection, MacroText name, char op, @Nullable MacroText value)
      implements RuleAction {}

  /**
   * {@code ctl:option=value}: the option resolved from the {@link CtlOption} registry at build
   * time; {@code parsed} is the value parsed then, or null when the value holds a macro and is
   * parsed per match.
   */
  record Ctl(CtlOption option, MacroText value, @Nullable CtlValue parsed) implements RuleAction {}
}
