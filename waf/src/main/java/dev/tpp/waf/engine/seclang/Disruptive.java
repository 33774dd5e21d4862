package dev.tpp.waf.engine.seclang;

/** The disruptive action of a rule. BLOCK is resolved to the phase's SecDefaultAction at build time. */
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
