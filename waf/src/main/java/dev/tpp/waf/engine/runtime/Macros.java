package dev.tpp.waf.engine.runtime;

import dev.tpp.waf.engine.seclang.Variable;
import java.util.List;

/**
 * Looks up the value of one macro reference ({@code %{VAR}}, {@code %{COLLECTION.key}}) for a
 * {@code MacroText} parsed when its rule was; on the request's thread.
 */
final class Macros {
  private Macros() {}

  /**
   * The first value of {@code variable} (under {@code key}, case-insensitively, when not null); ""
   * when none. A collection's key is one map lookup; {@code %{rule.x}} reads the rule's field.
   */
  static String resolve(Variable variable, String key, Transaction tx) {
    if (variable == Variable.RULE && key != null) {
      return RuleCollection.value(key, tx);
    }
    List<KeyValue> values =
        key == null ? Variables.values(variable, tx) : Variables.keyed(variable, key, tx);
    for (KeyValue kv : values) {
      if (key == null || kv.key() == null || kv.key().equalsIgnoreCase(key)) {
        return kv.value();
      }
    }
    return "";
  }
}
