package dev.tpp.waf.engine.seclang;

/**
 * The disruptive action of a rule; {@code block} is resolved to the phase's SecDefaultAction at
 * build time, so it never appears here. DROP is reported to the proxy like DENY (disruptive, with
 * the rule's status).
 */
public enum Disruptive {
  PASS,
  DENY,
  DROP,
  REDIRECT,
  ALLOW,
  ALLOW_PHASE,
  ALLOW_REQUEST;

  public boolean interrupts() {
    return this == DENY || this == DROP || this == REDIRECT;
  }
}
