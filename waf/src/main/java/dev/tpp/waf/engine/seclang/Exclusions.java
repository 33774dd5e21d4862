package dev.tpp.waf.engine.seclang;

import dev.tpp.waf.engine.WafCompileException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Configure-time exclusions (SecRuleRemoveBy*, SecRuleUpdateTargetBy*), applied to the rules loaded before them;
 * also the id-range matching that the runtime {@code ctl:ruleRemoveById} shares.
 */
public final class Exclusions {
  private Exclusions() {}

  /** Whether the rule's id is in {@code spec}: one id, a range {@code 100-200}, or several separated by spaces/commas. */
  public static boolean idMatches(Rule rule, String spec) {
    int id = rule.meta().numericId();
    if (rule.isMarker()) return false;
    for (String part : spec.split("[\\s,]+")) {
      if (part.isEmpty()) continue;
      int dash = part.indexOf('-', 1);
      try {
        if (dash < 0) {
          if (part.equals(rule.meta().id())) return true;
        } else {
          int from = Integer.parseInt(part.substring(0, dash));
          int to = Integer.parseInt(part.substring(dash + 1));
          if (id >= from && id <= to) return true;
        }
      } catch (NumberFormatException e) {
        // not a range: compared literally above
      }
    }
    return false;
  }

  static void removeById(List<Rule> rules, List<String> specs) {
    String spec = String.join(" ", specs);
    rules.removeIf(r -> idMatches(r, spec));
  }

  static void removeByTag(List<Rule> rules, List<String> tags) {
    rules.removeIf(r -> !r.isMarker() && r.meta().tags().stream().anyMatch(tags::contains));
  }

  static void removeByMsg(List<Rule> rules, List<String> msgs) {
    rules.removeIf(r -> !r.isMarker() && msgs.contains(r.meta().msg()));
  }

  static void updateTargets(List<Rule> rules, Directive d, Predicate<Rule> which) throws WafCompileException {
    if (d.args().size() < 2) throw new WafCompileException(d.where() + ": " + d.name() + " needs a rule and targets");
    List<Target> extra = TargetParser.parse(d.args().get(1));
    for (int i = 0; i < rules.size(); i++) {
      Rule r = rules.get(i);
      if (r.isMarker() || !which.test(r)) continue;
      List<Target> targets = new ArrayList<>(r.targets());
      targets.addAll(extra);
      rules.set(i, r.withTargets(targets));
    }
  }
}
