package dev.tpp.waf.engine.runtime;

import dev.tpp.waf.engine.seclang.Rule;
import dev.tpp.waf.engine.seclang.RuleMeta;
import java.util.ArrayList;
import java.util.List;

/** The RULE collection ({@code %{rule.id}}, {@code %{rule.msg}}...) of the rule being evaluated. */
final class RuleCollection {
  private RuleCollection() {}

  static List<KeyValue> of(Transaction tx) {
    Rule r = tx.currentRule;
    List<KeyValue> out = new ArrayList<>();
    if (r == null) {
      return out;
    }
    RuleMeta m = r.meta();
    add(out, "id", m.id());
    add(out, "msg", m.msg() == null ? null : Macros.expandShallow(m.msg(), tx));
    add(out, "logdata", m.logdata());
    add(out, "severity", m.severity());
    add(out, "ver", m.ver());
    add(out, "rev", m.rev());
    add(out, "phase", Integer.toString(m.phase()));
    add(out, "maturity", m.maturity());
    add(out, "accuracy", m.accuracy());
    for (String t : m.tags()) {
      add(out, "tag", t);
    }
    return out;
  }

  private static void add(List<KeyValue> out, String key, String value) {
    if (value != null) {
      out.add(new KeyValue(key, value));
    }
  }
}
