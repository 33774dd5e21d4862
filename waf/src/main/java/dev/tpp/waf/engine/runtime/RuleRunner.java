package dev.tpp.waf.engine.runtime;

import dev.tpp.waf.engine.operator.Operator;
import dev.tpp.waf.engine.seclang.Disruptive;
import dev.tpp.waf.engine.seclang.IdRange;
import dev.tpp.waf.engine.seclang.Rule;
import dev.tpp.waf.engine.transform.Transformation;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Runs the rules of one phase over a transaction: targets, transformations, operator, chain,
 * actions, flow control (skip, skipAfter, allow) and disruption. Stateless; called on the
 * transaction's pool thread.
 */
public final class RuleRunner {
  private RuleRunner() {}

  /** Runs {@code rules}; returns false when processing must stop (interrupted or allowed). */
  public static boolean runPhase(List<Rule> rules, int phase, Transaction tx) {
    int i = 0;
    while (i < rules.size()) {
      if (tx.engineMode.equals("Off")) {
        return true;
      }
      Rule rule = rules.get(i);
      if (rule.isMarker() || removed(rule, tx)) {
        i++;
        continue;
      }
      tx.currentRule = rule;
      tx.matchedVars.clear(); // MATCHED_VARS holds what the current rule (its chain so far) matched
      MatchInfo info = new MatchInfo();
      if (!evaluate(rule, rule, tx, info)) {
        i++;
        continue;
      }
      boolean enforce = tx.engineMode.equals("On");
      boolean interrupts = rule.disruptive().interrupts() && enforce;
      if (rule.log()) {
        tx.matches.add(LogLines.match(rule, info, tx, interrupts, phase));
      }
      if (interrupts) {
        tx.interrupted = true;
        tx.status = rule.status();
        tx.redirectUrl =
            rule.disruptive() == Disruptive.REDIRECT
                ? Objects.requireNonNull(rule.redirect(), "redirect: the parser requires a URL")
                    .expand(tx.macros)
                : null;
        return false;
      }
      if (enforce && rule.disruptive() == Disruptive.ALLOW_PHASE) {
        return true;
      }
      if (enforce
          && (rule.disruptive() == Disruptive.ALLOW
              || rule.disruptive() == Disruptive.ALLOW_REQUEST)) {
        tx.allowed = true;
        return false;
      }
      i = next(rules, i, rule);
    }
    return true;
  }

  private static int next(List<Rule> rules, int i, Rule rule) {
    if (rule.skipAfter() != null) {
      for (int j = i + 1; j < rules.size(); j++) {
        Rule r = rules.get(j);
        if (r.isMarker()
            ? Objects.requireNonNull(r.marker(), "marker").equals(rule.skipAfter())
            : rule.skipAfter().equals(r.meta().id())) {
          return j + 1;
        }
      }
      return rules.size();
    }
    int j = i + 1;
    for (int skipped = 0; skipped < rule.skip() && j < rules.size(); j++) {
      if (!rules.get(j).isMarker()) {
        skipped++;
      }
    }
    return j;
  }

  private static boolean removed(Rule rule, Transaction tx) {
    for (IdRange range : tx.removedIds) {
      if (range.matches(rule)) {
        return true;
      }
    }
    if (!tx.removedTags.isEmpty()) {
      for (String tag : rule.meta().tags()) {
        if (tx.removedTags.contains(tag)) {
          return true;
        }
      }
    }
    return false;
  }

  /** What the log line reports: the last variable that matched and its (transformed) value. */
  static final class MatchInfo {
    String variable = "";
    String value = "";
    @Nullable Rule rule;
  }

  private static boolean evaluate(Rule link, Rule starter, Transaction tx, MatchInfo info) {
    if (link.isAction()) {
      info.rule = link;
      ActionExecutor.run(link.actions(), tx);
      return true;
    }
    boolean any = false;
    tx.capturing = link.capture();
    for (TargetSelector.Value v : TargetSelector.select(link, starter, tx)) {
      String value = v.value();
      if (link.multiMatch()) {
        if (test(link, value, tx, v, info)) {
          any = true;
        }
        for (Transformation t : link.transforms()) {
          String next = t.apply(value);
          if (!next.equals(value) && test(link, next, tx, v, info)) {
            any = true;
          }
          value = next;
        }
      } else {
        value = tx.transform(link.transforms(), value);
        if (test(link, value, tx, v, info)) {
          any = true;
        }
      }
    }
    tx.capturing = false;
    if (!any) {
      return false;
    }
    return link.chain() == null || evaluate(link.chain(), starter, tx, info);
  }

  private static boolean test(
      Rule link, String value, Transaction tx, TargetSelector.Value v, MatchInfo info) {
    Operator op = Objects.requireNonNull(link.operator(), "operator: only markers have none");
    if (op.matches(value, tx) == link.negated()) {
      return false;
    }
    tx.matched(v.name(), value);
    // ModSecurity runs a link's setvar/ctl per matching value, before the chain goes on: CRS chains
    // rely on it
    ActionExecutor.run(link.actions(), tx);
    info.variable = v.name();
    info.value = value;
    info.rule = link;
    return true;
  }
}
