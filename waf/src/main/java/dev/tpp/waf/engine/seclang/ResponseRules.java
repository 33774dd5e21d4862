package dev.tpp.waf.engine.seclang;

import dev.tpp.waf.engine.ResponsePolicy;
import java.util.List;

/**
 * The rules of phases 3 (response headers), 4 (response body) and 5 (logging), and the response
 * policy. Immutable.
 */
public record ResponseRules(
    List<Rule> phase3, List<Rule> phase4, List<Rule> phase5, ResponsePolicy policy) {

  public ResponseRules {
    phase3 = List.copyOf(phase3);
    phase4 = List.copyOf(phase4);
    phase5 = List.copyOf(phase5);
  }

  /** No response rules, ModSecurity's default settings: nothing is held back. */
  public static final ResponseRules NONE =
      new ResponseRules(
          List.of(), List.of(), List.of(), ResponseDirectives.defaults().policy(false));
}
