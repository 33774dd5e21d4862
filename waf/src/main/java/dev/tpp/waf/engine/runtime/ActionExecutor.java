package dev.tpp.waf.engine.runtime;

import dev.tpp.waf.engine.seclang.CtlValue;
import dev.tpp.waf.engine.seclang.MacroText;
import dev.tpp.waf.engine.seclang.RuleAction;
import dev.tpp.waf.engine.seclang.Target;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs setvar and ctl actions of a matched rule against the transaction (its thread only). */
final class ActionExecutor {
  private static final Logger log = LoggerFactory.getLogger(ActionExecutor.class);

  private ActionExecutor() {}

  static void run(List<RuleAction> actions, Transaction tx) {
    for (RuleAction a : actions) {
      if (a instanceof RuleAction.SetVar s) {
        setVar(s, tx);
      } else if (a instanceof RuleAction.Ctl c) {
        ctl(c, tx);
      }
    }
  }

  static void setVar(RuleAction.SetVar s, Transaction tx) {
    Map<String, String> coll = tx.collection(s.collection());
    String name =
        s.name().isConstant()
            ? s.name().text()
            : s.name().expand(tx.macros).toLowerCase(Locale.ROOT);
    switch (s.op()) {
      case '!' -> coll.remove(name);
      case '+', '-' -> {
        long delta = parse(value(s).expand(tx.macros));
        long current = parse(coll.getOrDefault(name, "0"));
        coll.put(name, Long.toString(s.op() == '+' ? current + delta : current - delta));
      }
      default -> coll.put(name, value(s).expand(tx.macros));
    }
  }

  private static MacroText value(RuleAction.SetVar s) {
    return Objects.requireNonNull(s.value(), "setvar: only =! has no value");
  }

  private static long parse(String s) {
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static void ctl(RuleAction.Ctl c, Transaction tx) {
    if (!c.option().applies()) {
      return; // accepted for compatibility (audit log, limits...): nothing to tune here
    }
    CtlValue v = c.parsed() != null ? c.parsed() : expanded(c, tx);
    if (v == null) {
      return;
    }
    switch (c.option()) {
      case RULE_ENGINE ->
          tx.engineMode = Objects.requireNonNull(v.mode(), "ruleEngine: parsed to a mode");
      case RULE_REMOVE_BY_ID -> tx.removedIds.add(v.ids());
      case RULE_REMOVE_BY_TAG -> tx.removedTags.add(v.text());
      case RULE_REMOVE_TARGET_BY_ID -> {
        for (Target t : v.targets()) {
          tx.removedTargetsById.add(Map.entry(v.ids(), t));
        }
      }
      case RULE_REMOVE_TARGET_BY_TAG -> {
        for (Target t : v.targets()) {
          tx.removedTargetsByTag.add(Map.entry(v.text(), t));
        }
      }
      case REQUEST_BODY_PROCESSOR -> tx.bodyProcessor = v.text();
      case REQUEST_BODY_ACCESS -> tx.bodyAccess = v.on();
      case RESPONSE_BODY_ACCESS -> tx.responseBodyAccess = v.on();
      case FORCE_REQUEST_BODY_VARIABLE -> tx.forceBodyVariable = v.on();
      default -> {} // options that do not apply returned above
    }
  }

  /**
   * A value with macros, parsed once they are expanded; null (with a WARN line) when it does not
   * parse.
   */
  private static @Nullable CtlValue expanded(RuleAction.Ctl c, Transaction tx) {
    String value = c.value().expand(tx.macros);
    try {
      return CtlValue.parse(c.option(), value);
    } catch (IllegalArgumentException e) {
      log.warn(
          "event=waf_ctl_ignored option={} value=\"{}\" reason=\"{}\"",
          c.option(),
          value,
          e.getMessage());
      return null;
    }
  }
}
