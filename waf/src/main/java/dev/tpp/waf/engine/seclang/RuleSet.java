package dev.tpp.waf.engine.seclang;

import dev.tpp.waf.engine.audit.AuditPolicy;
import dev.tpp.waf.engine.operator.PrefilterIndex;
import java.util.List;

/**
 * Everything the parser produced: the rules of phases 1 and 2 in load order (markers included),
 * those of phases 3-5 ({@code response}) and the engine settings. Immutable; shared by all pool
 * threads.
 *
 * @param engineMode "On", "Off" or "DetectionOnly"
 * @param ruleCount every rule loaded (all phases, chains counted once)
 * @param prefilters the literals of the rules' regex prefilters, for one scan per inspected text
 * @param audit the {@code SecAudit*} settings; {@code components} the {@code
 *     SecComponentSignature}s
 */
public record RuleSet(
    List<Rule> phase1,
    List<Rule> phase2,
    String engineMode,
    boolean requestBodyAccess,
    int ruleCount,
    PrefilterIndex prefilters,
    ResponseRules response,
    AuditPolicy audit,
    List<String> components) {

  public RuleSet {
    phase1 = List.copyOf(phase1);
    phase2 = List.copyOf(phase2);
    components = List.copyOf(components);
  }

  /** A rule set without an audit log. */
  public RuleSet(
      List<Rule> phase1,
      List<Rule> phase2,
      String engineMode,
      boolean requestBodyAccess,
      int ruleCount,
      PrefilterIndex prefilters,
      ResponseRules response) {
    this(
        phase1,
        phase2,
        engineMode,
        requestBodyAccess,
        ruleCount,
        prefilters,
        response,
        AuditPolicy.OFF,
        List.of());
  }
}
