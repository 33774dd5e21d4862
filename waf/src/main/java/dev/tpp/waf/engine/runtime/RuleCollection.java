package dev.tpp.waf.engine.runtime;

import dev.tpp.waf.engine.seclang.Rule;
import dev.tpp.waf.engine.seclang.RuleMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The RULE collection ({@code %{rule.id}}, {@code %{rule.msg}}...) of the rule being evaluated. */
final class RuleCollection {
  private static final List<String> KEYS =
      List.of("id", "msg", "logdata", "severity", "ver", "rev", "phase", "maturity", "accuracy");

  private RuleCollection() {}

  static List<KeyValue> of(Transaction tx) {
    Rule r = tx.currentRule;
    List<KeyValue> out = new ArrayList<>();
    if (r == null) {
      return out;
    }
    for (String key : KEYS) {
      String value = field(r.meta(), key, tx);
      if (value != null) {
        out.add(new KeyValue(key, value));
      }
    }
    for (String t : r.meta().tags()) {
      out.add(new KeyValue("tag", t));
    }
    return out;
  }

  /** RULE:key's first value, "" when none: what {@code %{rule.key}} expands to. */
  static String value(String key, Transaction tx) {
    Rule r = tx.currentRule;
    if (r == null) {
      return "";
    }
    String lower = key.toLowerCase(Locale.ROOT);
    String value =
        lower.equals("tag")
            ? r.meta().tags().stream().findFirst().orElse(null)
            : field(r.meta(), lower, tx);
    return value == null ? "" : value;
  }

  /** One field by its lower-case key, or null; the msg is expanded, without its own rule.msg. */
  private static @Nullable String field(RuleMeta m, String key, Transaction tx) {
    return switch (key) {
      case "id" -> m.id();
      case "msg" -> m.msg() == null ? null : m.msg().expand(tx.macrosButRuleMsg);
      case "logdata" -> m.logdata() == null ? null : m.logdata().text();
      case "severity" -> m.severity();
      case "ver" -> m.ver();
      case "rev" -> m.rev();
      case "phase" -> Integer.toString(m.phase());
      case "maturity" -> m.maturity();
      case "accuracy" -> m.accuracy();
      default -> null;
    };
  }
}
