package dev.tpp.waf.engine.runtime;

import dev.tpp.waf.engine.seclang.MacroText;
import dev.tpp.waf.engine.seclang.Variable;
import java.util.List;

/**
 * Expands {@code %{VAR}} and {@code %{COLLECTION.key}} in action and operator arguments, on the
 * request's thread.
 */
final class Macros {
  private Macros() {}

  static String expand(String text, Transaction tx) {
    return expand(text, tx, true);
  }

  /** A text parsed when its rule was: only its references are looked up. */
  static String expand(MacroText text, Transaction tx) {
    return text.expand(tx.macros);
  }

  /** Expansion that does not expand rule.msg again (used to compute rule.msg itself). */
  static String expandShallow(String text, Transaction tx) {
    return expand(text, tx, false);
  }

  private static String expand(String text, Transaction tx, boolean deep) {
    if (text == null || !text.contains("%{")) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    int i = 0;
    while (i < text.length()) {
      int start = text.indexOf("%{", i);
      int end = start < 0 ? -1 : text.indexOf('}', start + 2);
      if (start < 0 || end < 0) {
        out.append(text, i, text.length());
        break;
      }
      out.append(text, i, start);
      String ref = text.substring(start + 2, end).strip();
      if (deep || !ref.equalsIgnoreCase("rule.msg")) {
        out.append(resolve(ref, tx));
      }
      i = end + 1;
    }
    return out.toString();
  }

  static String resolve(String ref, Transaction tx) {
    int dot = ref.indexOf('.');
    Variable variable = Variable.byName(dot < 0 ? ref : ref.substring(0, dot));
    return variable == null ? "" : resolve(variable, dot < 0 ? null : ref.substring(dot + 1), tx);
  }

  /**
   * The first value of {@code variable} (under {@code key}, case-insensitively, when not null); ""
   * when none.
   */
  static String resolve(Variable variable, String key, Transaction tx) {
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
