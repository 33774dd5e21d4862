package dev.tpp.waf.engine.seclang;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Parses a SecLang action list ({@code "id:1,phase:2,deny,msg:'x, y'"}) into a {@link RuleDraft}. Build time only. */
final class ActionParser {
  /** Actions that only matter to ModSecurity's audit/response side or persistence: accepted, no effect here. */
  private static final Set<String> IGNORED = Set.of("auditlog", "noauditlog", "sanitisearg", "sanitisematched",
      "sanitisematchedbytes", "sanitiserequestheader", "sanitiseresponseheader", "expirevar", "initcol", "setuid",
      "setsid", "setrsc", "setenv", "exec", "append", "prepend", "proxy", "pause", "xmlns", "deprecatevar");

  private ActionParser() {}

  record Action(String name, String value) {}

  static List<Action> split(String text) {
    List<Action> out = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      while (i < n && (text.charAt(i) == ',' || Character.isWhitespace(text.charAt(i)))) i++;
      if (i >= n) break;
      int start = i;
      while (i < n && text.charAt(i) != ':' && text.charAt(i) != ',') i++;
      String name = text.substring(start, i).trim();
      String value = null;
      if (i < n && text.charAt(i) == ':') {
        i++;
        while (i < n && text.charAt(i) == ' ') i++;
        StringBuilder v = new StringBuilder();
        boolean quoted = i < n && text.charAt(i) == '\'';
        if (quoted) {
          i++;
          while (i < n && text.charAt(i) != '\'') {
            if (text.charAt(i) == '\\' && i + 1 < n && text.charAt(i + 1) == '\'') i++;
            v.append(text.charAt(i++));
          }
          i++;
        } else {
          while (i < n && text.charAt(i) != ',') v.append(text.charAt(i++));
        }
        value = quoted ? v.toString() : v.toString().trim();
      }
      out.add(new Action(name, value));
    }
    return out;
  }

  static void apply(String text, RuleDraft d) {
    for (Action a : split(text)) apply(a, d);
  }

  private static void apply(Action a, RuleDraft d) {
    String name = a.name().toLowerCase(Locale.ROOT);
    String v = a.value();
    switch (name) {
      case "id" -> d.id = require(a).trim();
      case "phase" -> d.phase = phase(require(a));
      case "msg" -> d.msg = require(a);
      case "logdata" -> d.logdata = require(a);
      case "tag" -> d.tags.add(require(a));
      case "severity" -> d.severity = RuleDraft.severityName(require(a));
      case "ver" -> d.ver = v;
      case "rev" -> d.rev = v;
      case "maturity" -> d.maturity = v;
      case "accuracy" -> d.accuracy = v;
      case "t" -> transform(require(a), d);
      case "multimatch" -> d.multiMatch = true;
      case "pass", "block", "deny", "drop" -> d.disruptive = name;
      case "allow" -> d.disruptive = v == null ? "allow" : "allow:" + v.trim().toLowerCase(Locale.ROOT);
      case "redirect" -> {
        d.disruptive = "redirect";
        d.redirect = require(a);
      }
      case "status" -> d.status = Integer.parseInt(require(a).trim());
      case "log" -> d.log = true;
      case "nolog" -> d.log = false;
      case "capture" -> d.capture = true;
      case "chain" -> d.chain = true;
      case "skip" -> d.skip = Integer.parseInt(require(a).trim());
      case "skipafter" -> d.skipAfter = require(a).trim();
      case "setvar" -> d.actions.add(setVar(require(a)));
      case "ctl" -> d.actions.add(ctl(require(a)));
      default -> {
        if (!IGNORED.contains(name)) throw new IllegalArgumentException("unknown action '" + a.name() + "'");
      }
    }
  }

  private static String require(Action a) {
    if (a.value() == null) throw new IllegalArgumentException("action '" + a.name() + "' needs a value");
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
        if (p < 1 || p > 5) throw new IllegalArgumentException("phase must be 1..5: " + v);
        return p;
    }
  }

  static RuleAction.SetVar setVar(String spec) {
    String s = spec.trim();
    if (s.startsWith("!")) return setVar(s.substring(1), '!', null);
    int eq = s.indexOf('=');
    if (eq < 0) return setVar(s, ' ', "1");
    String target = s.substring(0, eq);
    String value = s.substring(eq + 1);
    if (value.startsWith("+")) return setVar(target, '+', value.substring(1));
    if (value.startsWith("-")) return setVar(target, '-', value.substring(1));
    return setVar(target, '=', value);
  }

  private static RuleAction.SetVar setVar(String target, char op, String value) {
    int dot = target.indexOf('.');
    if (dot <= 0) throw new IllegalArgumentException("setvar needs collection.name: " + target);
    String collection = target.substring(0, dot).trim();
    Variable store = Variable.byName(collection);
    if (store == null || !store.isStore()) {
      throw new IllegalArgumentException("setvar on unknown collection '" + collection + "' (expected: TX, IP, GLOBAL, "
          + "SESSION, USER or RESOURCE)");
    }
    return new RuleAction.SetVar(store, target.substring(dot + 1).trim(), op, value);
  }

  private static RuleAction.Ctl ctl(String spec) {
    int eq = spec.indexOf('=');
    if (eq < 0) throw new IllegalArgumentException("ctl needs name=value: " + spec);
    String name = spec.substring(0, eq).trim();
    CtlOption option = CtlOption.byName(name);
    if (option == null) throw new IllegalArgumentException("unknown ctl option '" + name + "'");
    String value = spec.substring(eq + 1).trim();
    return new RuleAction.Ctl(option, value, value.contains("%{") ? null : CtlValue.parse(option, value));
  }
}
