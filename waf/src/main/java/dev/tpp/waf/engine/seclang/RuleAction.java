package dev.tpp.waf.engine.seclang;

/** A non-disruptive action run, in order, when a rule (with its whole chain) matches. Immutable. */
public sealed interface RuleAction {

  /** {@code setvar:collection.name=value}; op is '=', '+', '-', '!' (delete) or ' ' (set to 1). */
  record SetVar(Variable collection, String name, char op, String value) implements RuleAction {}

  /**
   * {@code ctl:option=value}: the option resolved from the {@link CtlOption} registry at build time; {@code parsed}
   * is the value parsed then, or null when the value holds a macro and is parsed per match.
   */
  record Ctl(CtlOption option, String value, CtlValue parsed) implements RuleAction {}
}
