package dev.tpp.waf.engine.runtime;

import dev.tpp.waf.engine.seclang.IdRange;
import dev.tpp.waf.engine.seclang.Rule;
import dev.tpp.waf.engine.seclang.Target;
import dev.tpp.waf.engine.seclang.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Collects the values a rule inspects: its targets, minus {@code !} exclusions and ctl-removed
 * targets.
 */
final class TargetSelector {
  /**
   * One value to inspect; {@link #name} is what logs and MATCHED_VAR_NAME show ({@code ARGS:foo}),
   * built only for values that match (most values of most rules never do).
   */
  record Value(Variable variable, @Nullable String key, @Nullable String label, String value) {
    String name() {
      if (label != null) {
        return label;
      }
      return key == null ? variable.name() : variable.name() + ":" + key;
    }
  }

  private TargetSelector() {}

  static List<Value> select(Rule rule, Rule starter, Transaction tx) {
    List<Target> excluded = exclusions(rule, starter, tx);
    ArrayList<Value> out = new ArrayList<>();
    for (Target t : rule.targets()) {
      if (t.exclude()) {
        continue;
      }
      List<KeyValue> values =
          t.key() != null && t.keyRegex() == null
              ? Variables.keyed(t.variable(), t.key(), tx)
              : Variables.values(t.variable(), tx);
      List<Target> ex = excluded.isEmpty() ? excluded : ofVariable(excluded, t.variable());
      if (t.count()) {
        int n = 0;
        for (KeyValue kv : values) {
          if (kv.key() == null || t.selects(kv.key())) {
            n++;
          }
        }
        add(
            out,
            new Value(
                t.variable(),
                null,
                "&" + t.variable() + (t.key() == null ? "" : ":" + t.key()),
                Integer.toString(n)),
            ex);
        continue;
      }
      out.ensureCapacity(out.size() + values.size());
      for (KeyValue kv : values) {
        if (kv.key() != null && !t.selects(kv.key())) {
          continue;
        }
        add(out, new Value(t.variable(), kv.key(), null, kv.value()), ex);
      }
    }
    return out;
  }

  private static void add(ArrayList<Value> out, Value v, List<Target> excluded) {
    if (excluded.isEmpty() || !excludedBy(v, excluded)) {
      out.add(v);
    }
  }

  /**
   * The exclusions that can apply to values of {@code variable}: most rules exclude only cookies.
   */
  private static List<Target> ofVariable(List<Target> excluded, Variable variable) {
    List<Target> out = List.of();
    for (Target t : excluded) {
      if (t.variable() == variable) {
        out = append(out, t);
      }
    }
    return out;
  }

  /**
   * The rule's {@code !} targets and the ctl-removed ones that apply to it; allocates only when
   * there are some.
   */
  private static List<Target> exclusions(Rule rule, Rule starter, Transaction tx) {
    List<Target> ex = List.of();
    for (Target t : rule.targets()) {
      if (t.exclude()) {
        ex = append(ex, t);
      }
    }
    for (Map.Entry<IdRange, Target> e : tx.removedTargetsById) {
      if (e.getKey().matches(starter)) {
        ex = append(ex, e.getValue());
      }
    }
    for (Map.Entry<String, Target> e : tx.removedTargetsByTag) {
      if (starter.meta().tags().contains(e.getKey())) {
        ex = append(ex, e.getValue());
      }
    }
    return ex;
  }

  private static List<Target> append(List<Target> list, Target t) {
    List<Target> out = list.isEmpty() ? new ArrayList<>() : list;
    out.add(t);
    return out;
  }

  private static boolean excludedBy(Value v, List<Target> excluded) {
    for (Target t : excluded) {
      if (t.variable() != v.variable()) {
        continue;
      }
      if (t.key() == null && t.keyRegex() == null) {
        return true;
      }
      if (v.key() != null && t.selects(v.key())) {
        return true;
      }
    }
    return false;
  }
}
