package dev.tpp.waf.engine.seclang;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The action registry, and the parser of a SecLang action list ({@code "id:1,phase:2,deny,msg:'x,
 * y'"}) into a {@link RuleDraft}. Every action name resolves here when the rule is parsed; an
 * unknown one fails the build with {@code FILE:LINE: unknown action 'NAME'}. Build time only.
 */
final class ActionParser {
  /**
   * What an action does to the draft; {@code a.value()} is null when the action has no {@code
   * :value}.
   */
  @FunctionalInterface
  private interface Handler {
    void apply(Action a, RuleDraft d);
  }

  /** Actions by lower-case name (SecLang names are case-insensitive). */
  private static final Map<String, Handler> REGISTRY = registry();

  private ActionParser() {}

  record Action(String name, @Nullable String value) {}

  static List<Action> split(String text) {
    List<Action> out = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      while (i < n && (text.charAt(i) == ',' || Character.isWhitespace(text.charAt(i)))) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int start = i;
      while (i < n && text.charAt(i) != ':' && text.charAt(i) != ',') {
        i++;
      }
      String name = text.substring(start, i).trim();
      String value = null;
      if (i < n && text.charAt(i) == ':') {
        i++;
        while (i < n && text.charAt(i) == ' ') {
          i++;
        }
        StringBuilder v = new StringBuilder();
        boolean quoted = i < n && text.charAt(i) == '\'';
        if (quoted) {
          i++;
          while (i < n && text.charAt(i) != '\'') {
            if (text.charAt(i) == '\\' && i + 1 < n && text.charAt(i + 1) == '\'') {
              i++;
            }
            v.append(text.charAt(i++));
          }
          i++;
        } else {
          while (i < n && text.charAt(i) != ',') {
            v.append(text.charAt(i++));
          }
        }
        value = quoted ? v.toString() : v.toString().trim();
      }
      out.add(new Action(name, value));
    }
    return out;
  }

  static void apply(String text, RuleDraft d) {
    for (Action a : split(text)) {
      apply(a, d);
    }
  }

  private static void apply(Action a, RuleDraft d) {
    Handler h = REGISTRY.get(a.name().toLowerCase(Locale.ROOT));
    if (h == null) {
      throw new IllegalArgumentException("unknown action '" + a.name() + "'");
    }
    h.apply(a, d);
  }

  private static Map<String, Handler> registry() {
    Map<String, Handler> r = new HashMap<>();
    r.put("id", (a, d) -> d.id = require(a).trim());
    r.put("phase", (a, d) -> d.phase = phase(require(a)));
    r.put("msg", (a, d) -> d.msg = MacroText.of(require(a)));
    r.put("logdata", (a, d) -> d.logdata = MacroText.of(require(a)));
    r.put("tag", (a, d) -> d.tags.add(require(a)));
    r.put("severity", (a, d) -> d.severity = RuleDraft.severityName(require(a)));
    r.put("ver", (a, d) -> d.ver = a.value());
    r.put("rev", (a, d) -> d.rev = a.value());
    r.put("maturity", (a, d) -> d.maturity = a.value());
    r.put("accuracy", (a, d) -> d.accuracy = a.value());
    r.put("t", (a, d) -> transform(require(a), d));
    r.put("multiMatch", (a, d) -> d.multiMatch = true);
    for (String disruptive : List.of("pass", "block", "deny", "drop")) {
      r.put(disruptive, (a, d) -> d.disruptive = disruptive);
    }
    r.put(
        "allow",
        (a, d) ->
            d.disruptive =
                a.value() == null ? "allow" : "allow:" + a.value().trim().toLowerCase(Locale.ROOT));
    r.put(
        "redirect",
        (a, d) -> {
          d.disruptive = "redirect";
          d.redirect = MacroText.of(require(a));
        });
    r.put("status", (a, d) -> d.status = Integer.parseInt(require(a).trim()));
    r.put("log", (a, d) -> d.log = true);
    r.put("nolog", (a, d) -> d.log = false);
    r.put("capture", (a, d) -> d.capture = true);
    r.put("chain", (a, d) -> d.chain = true);
    r.put("skip", (a, d) -> d.skip = Integer.parseInt(require(a).trim()));
    r.put("skipAfter", (a, d) -> d.skipAfter = require(a).trim());
    r.put("setvar", (a, d) -> d.actions.add(setVar(require(a))));
    r.put("ctl", (a, d) -> d.actions.add(ctl(require(a))));
    // accepted, no effect: ModSecurity's audit/response side and persistence, which this engine
    // does not have
    for (String ignored :
        List.of(
            "auditlog",
            "noauditlog",
            "sanitiseArg",
            "sanitiseMatched",
            "sanitiseMatchedBytes",
            "sanitiseRequestHeader",
            "sanitiseResponseHeader",
            "expirevar",
            "initcol",
            "setuid",
            "setsid",
            "setrsc",
            "setenv",
            "exec",
            "append",
            "prepend",
            "proxy",
            "pause",
            "xmlns",
            "deprecatevar")) {
      r.put(ignored, (a, d) -> {});
    }
    Map<String, Handler> byLowerName = new HashMap<>();
    r.forEach((name, handler) -> byLowerName.put(name.toLowerCase(Locale.ROOT), handler));
    return Map.copyOf(byLowerName);
  }

  private static String require(Action a) {
    if (a.value() == null) {
      throw new IllegalArgumentException("action '" + a.name() + "' needs a value");
    }
    return a.value();
  }

  private static void transform(String name, RuleDraft d) {
    if (name.equalsIgnoreCase("none")) {
      d.transforms.clear();
      d.transformsReset = true;
    } else {
      d.transforms.add(name.trim());
    }
  }

  static int phase(String v) {
    switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "request":
        return 2;
      case "response":
        return 4;
      case "logging":
        return 5;
      default:
        int p = Integer.parseInt(v.trim());
        if (p < 1 || p > 5) {
          throw new IllegalArgumentException("phase must be 1..5: " + v);
        }
        return p;
    }
  }

  static RuleAction.SetVar setVar(String spec) {
    String s = spec.trim();
    if (s.startsWith("!")) {
      return setVar(s.substring(1), '!', null);
    }
    int eq = s.indexOf('=');
    if (eq < 0) {
      return setVar(s, ' ', "1");
    }
    String target = s.substring(0, eq);
    String value = s.substring(eq + 1);
    if (value.startsWith("+")) {
      return setVar(target, '+', value.substring(1));
    }
    if (value.startsWith("-")) {
      return setVar(target, '-', value.substring(1));
    }
    return setVar(target, '=', value);
  }

  private static RuleAction.SetVar setVar(String target, char op, @Nullable String value) {
    int dot = target.indexOf('.');
    if (dot <= 0) {
      throw new IllegalArgumentException("setvar needs collection.name: " + target);
    }
    String collection = target.substring(0, dot).trim();
    Variable store = Variable.byName(collection);
    if (store == null || !store.isStore()) {
      throw new IllegalArgumentException(
          "setvar on unknown collection '"
              + collection
              + "' (expected: TX, IP, GLOBAL, "
              + "SESSION, USER or RESOURCE)");
    }
    MacroText name = MacroText.of(target.substring(dot + 1).trim().toLowerCase(Locale.ROOT));
    return new RuleAction.SetVar(store, name, op, value == null ? null : MacroText.of(value));
  }

  private static RuleAction.Ctl ctl(String spec) {
    int eq = spec.indexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException("ctl needs name=value: " + spec);
    }
    String name = spec.substring(0, eq).trim();
    CtlOption option = CtlOption.byName(name);
    if (option == null) {
      throw new IllegalArgumentException("unknown ctl option '" + name + "'");
    }
    MacroText value = MacroText.of(spec.substring(eq + 1).trim());
    return new RuleAction.Ctl(
        option, value, value.isConstant() ? CtlValue.parse(option, value.text()) : null);
  }
}
