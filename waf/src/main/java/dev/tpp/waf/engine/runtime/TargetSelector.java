package dev.tpp.waf.engine.runtime;

import dev.tpp.waf.engine.seclang.IdRange;
import dev.tpp.waf.engine.seclang.Rule;
import dev.tpp.waf.engine.seclang.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Collects the values a rule inspects: its targets, minus {@code !} exclusions and ctl-removed targets. */
final class TargetSelector {
  /**
   * One value to inspect; {@link #name} is what logs and MATCHED_VAR_NAME show ({@code ARGS:foo}), built only for
   * values that match (most values of most rules never do).
   */
  record Value(String collection, String key, String label, String value) {
    String name() {
      if (label != null) return label;
      return key == null ? collection : collection + ":" + key;
    }
  }

  private TargetSelector() {}

  static List<Value> select(Rule rule, Rule starter, Transaction tx) {
    List<Value> out = new ArrayList<>();
    for (Target t : rule.targets()) {
      if (t.exclude()) continue;
      List<KeyValue> values = t.key() != null && t.keyRegex() == null
          ? Variables.keyed(t.collection(), t.key(), tx)
          : Variables.values(t.collection(), tx);
      if (t.count()) {
        int n = 0;
        for (KeyValue kv : values) if (kv.key() == null || t.selects(kv.key())) n++;
        out.add(new Value(t.collection(), null, "&" + t.collection() + (t.key() == null ? "" : ":" + t.key()), Integer.toString(n)));
        continue;
      }
      for (KeyValue kv : values) {
        if (kv.key() != null && !t.selects(kv.key())) continue;
        out.add(new Value(t.collection(), kv.key(), null, kv.value()));
      }
    }
    if (out.isEmpty()) return out;
    List<Target> excluded = exclusions(rule, starter, tx);
    if (!excluded.isEmpty()) out.removeIf(v -> excludedBy(v, excluded));
    return out;
  }

  private static List<Target> exclusions(Rule rule, Rule starter, Transaction tx) {
    List<Target> ex = new ArrayList<>();
    for (Target t : rule.targets()) if (t.exclude()) ex.add(t);
    for (Map.Entry<IdRange, Target> e : tx.removedTargetsById) {
      if (e.getKey().matches(starter)) ex.add(e.getValue());
    }
    for (Map.Entry<String, Target> e : tx.removedTargetsByTag) {
      if (starter.meta().tags().contains(e.getKey())) ex.add(e.getValue());
    }
    return ex;
  }

  private static boolean excludedBy(Value v, List<Target> excluded) {
    for (Target t : excluded) {
      if (!t.collection().equals(v.collection())) continue;
      if (t.key() == null && t.keyRegex() == null) return true;
      if (v.key() != null && t.selects(v.key())) return true;
    }
    return false;
  }
}
