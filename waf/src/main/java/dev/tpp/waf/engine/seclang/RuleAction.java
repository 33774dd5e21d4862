package dev.tpp.waf.engine.seclang;

/** A non-disruptive action run, in order, when a rule (with its whole chain) matches. Immutable. */
public sealed interface RuleAction {

  /** {@code setvar:collection.name=value}; op is '=', '+', '-', '!' (delete) or ' ' (set to 1). */
  record SetVar(String collection, String name, char op, String value) implements RuleAction {}

  /** {@code ctl:name=value}. */
  record Ctl(String name, String value) implements RuleAction {}
}
