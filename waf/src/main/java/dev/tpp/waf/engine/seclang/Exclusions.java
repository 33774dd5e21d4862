package dev.tpp.waf.engine.seclang;

import dev.tpp.waf.engine.WafCompileException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Configure-time exclusions (SecRuleRemoveBy*, SecRuleUpdateTargetBy*), applied to the rules loaded
 * before them. Used by the parser's thread during build only.
 */
public final class Exclusions {
  private Exclusions() {}

  /**
   * Whether the rule's id is in {@code spec}: one id, a range {@code 100-200}, or several separated
   * by spaces/commas.
   */
  public static boolean idMatches(Rule rule, String spec) {
    return IdRange.parse(spec).matches(rule);
  }

  static void removeById(List<Rule> rules, List<String> specs) {
    IdRange range = IdRange.parse(String.join(" ", specs));
    rules.removeIf(range::matches);
  }

  static void removeByTag(List<Rule> rules, List<String> tags) {
    rules.removeIf(r -> !r.isMarker() && r.meta().tags().stream().anyMatch(tags::contains));
  }

  static void removeByMsg(List<Rule> rules, List<String> msgs) {
    rules.removeIf(r -> !r.isMarker() && msgs.contains(r.meta().msgText()));
  }

  static void updateTargets(List<Rule> rules, Directive d, Predicate<Rule> which)
      throws WafCompileException {
    if (d.args().size() < 2) {
      throw new WafCompileException(d.where() + ": " + d.name() + " needs a rule and targets");
    }
    List<Target> extra = TargetParser.parse(d.args().get(1));
    for (int i = 0; i < rules.size(); i++) {
      Rule r = rules.get(i);
      if (r.isMarker() || !which.test(r)) {
        continue;
      }
      List<Target> targets = new ArrayList<>(r.targets());
      targets.addAll(extra);
      rules.set(i, r.withTargets(targets));
    }
  }
}
