package dev.tpp.waf.engine.runtime;

import dev.tpp.waf.engine.seclang.IdRange;
import dev.tpp.waf.engine.seclang.RuleAction;
import dev.tpp.waf.engine.seclang.Target;
import dev.tpp.waf.engine.seclang.TargetParser;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs setvar and ctl actions of a matched rule against the transaction (its thread only). */
final class ActionExecutor {
  private static final Logger log = LoggerFactory.getLogger(ActionExecutor.class);

  private ActionExecutor() {}

  static void run(List<RuleAction> actions, Transaction tx) {
    for (RuleAction a : actions) {
      if (a instanceof RuleAction.SetVar s) setVar(s, tx);
      else if (a instanceof RuleAction.Ctl c) ctl(c, tx);
    }
  }

  static void setVar(RuleAction.SetVar s, Transaction tx) {
    Map<String, String> coll = tx.collection(s.collection());
    String name = Macros.expand(s.name(), tx).toLowerCase(Locale.ROOT);
    switch (s.op()) {
      case '!' -> coll.remove(name);
      case '+', '-' -> {
        long delta = parse(Macros.expand(s.value(), tx));
        long current = parse(coll.getOrDefault(name, "0"));
        coll.put(name, Long.toString(s.op() == '+' ? current + delta : current - delta));
      }
      default -> coll.put(name, Macros.expand(s.value(), tx));
    }
  }

  private static long parse(String s) {
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static void ctl(RuleAction.Ctl c, Transaction tx) {
    String value = Macros.expand(c.value(), tx);
    switch (c.name().toLowerCase(Locale.ROOT)) {
      case "ruleengine" -> tx.engineMode = value.equalsIgnoreCase("on") ? "On"
          : value.equalsIgnoreCase("off") ? "Off" : "DetectionOnly";
      case "ruleremovebyid" -> tx.removedIds.add(IdRange.parse(value));
      case "ruleremovebytag" -> tx.removedTags.add(value);
      case "ruleremovetargetbyid" -> removeTarget(value, tx.removedTargetsById, IdRange::parse);
      case "ruleremovetargetbytag" -> removeTarget(value, tx.removedTargetsByTag, tag -> tag);
      case "requestbodyprocessor" -> tx.bodyProcessor = value.toUpperCase(Locale.ROOT);
      case "requestbodyaccess" -> tx.bodyAccess = value.equalsIgnoreCase("on") || value.equals("1") || value.equalsIgnoreCase("true");
      case "forcerequestbodyvariable" -> tx.forceBodyVariable = value.equalsIgnoreCase("on") || value.equals("1");
      default -> { } // auditEngine, auditLogParts, requestBodyLimit, debugLogLevel...: nothing to do here
    }
  }

  private static <K> void removeTarget(String value, List<Map.Entry<K, Target>> into, Function<String, K> key) {
    int semi = value.indexOf(';');
    if (semi < 0) return;
    try {
      K which = key.apply(value.substring(0, semi).strip());
      for (Target t : TargetParser.parse(value.substring(semi + 1))) into.add(Map.entry(which, t));
    } catch (IllegalArgumentException e) {
      log.warn("waf ctl ignored: bad target in '{}': {}", value, e.getMessage());
    }
  }
}
