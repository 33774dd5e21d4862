package dev.tpp.waf.engine.seclang;

import dev.tpp.waf.engine.operator.Operator;
import dev.tpp.waf.engine.transform.Transformation;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A compiled SecRule / SecAction / SecMarker. Built once per rule set and shared read-only by every
 * pool thread. A SecAction has no targets and a null operator (it always matches); a SecMarker has
 * only {@code marker}.
 *
 * @param transforms shared by every rule of the rule set with the same chain (see RuleCompiler)
 * @param chain the next rule of a chain, evaluated only when this one matched
 */
public record Rule(
    RuleMeta meta,
    List<Target> targets,
    @Nullable String operatorName,
    @Nullable String operatorParam,
    @Nullable Operator operator,
    boolean negated,
    List<Transformation> transforms,
    boolean multiMatch,
    Disruptive disruptive,
    int status,
    @Nullable MacroText redirect,
    boolean log,
    boolean capture,
    List<RuleAction> actions,
    int skip,
    @Nullable String skipAfter,
    @Nullable Rule chain,
    @Nullable String marker) {

  public Rule {
    targets = List.copyOf(targets);
    transforms = List.copyOf(transforms);
    actions = List.copyOf(actions);
  }

  public boolean isMarker() {
    return marker != null;
  }

  public boolean isAction() {
    return operator == null && marker == null;
  }

  Rule withTargets(List<Target> newTargets) {
    return new Rule(
        meta,
        newTargets,
        operatorName,
        operatorParam,
        operator,
        negated,
        transforms,
        multiMatch,
        disruptive,
        status,
        redirect,
        log,
        capture,
        actions,
        skip,
        skipAfter,
        chain,
        marker);
  }
}
