package dev.tpp.waf.engine;

import dev.tpp.waf.engine.audit.AuditPolicy;
import dev.tpp.waf.engine.runtime.Inspector;
import dev.tpp.waf.engine.seclang.RuleSet;
import java.util.List;

/**
 * The {@link WafEngine} over a compiled {@link RuleSet}: immutable, so any number of pool threads
 * may inspect.
 */
final class SecLangEngine implements WafEngine {
  private final RuleSet rules;

  SecLangEngine(RuleSet rules) {
    this.rules = rules;
  }

  @Override
  public WafVerdict inspect(WafRequest request) {
    return begin(request).requestVerdict();
  }

  @Override
  public WafTransaction begin(WafRequest request) {
    return Inspector.begin(rules, request);
  }

  @Override
  public ResponsePolicy responsePolicy() {
    return rules.response().policy();
  }

  @Override
  public AuditPolicy auditPolicy() {
    return rules.audit();
  }

  @Override
  public List<String> components() {
    return rules.components();
  }

  @Override
  public int ruleCount() {
    return rules.ruleCount();
  }
}
