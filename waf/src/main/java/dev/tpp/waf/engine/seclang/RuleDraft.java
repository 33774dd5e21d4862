package dev.tpp.waf.engine.seclang;

import java.util.ArrayList;
import java.util.List;

/**
 * The mutable actions of one rule while its directive is parsed; frozen into a {@link Rule} by the
 * parser.
 */
final class RuleDraft {
  String id;
  Integer phase;
  MacroText msg;
  MacroText logdata;
  final List<String> tags = new ArrayList<>();
  String severity;
  String ver;
  String rev;
  String maturity;
  String accuracy;
  final List<String> transforms = new ArrayList<>();
  boolean transformsReset;
  boolean multiMatch;
  String disruptive; // pass, block, deny, drop, allow, allow:phase, allow:request, redirect
  int status;
  MacroText redirect;
  Boolean log;
  boolean capture;
  final List<RuleAction> actions = new ArrayList<>();
  int skip;
  String skipAfter;
  boolean chain;

  /** The default action list's settings fill what this rule leaves unset. */
  void inherit(RuleDraft defaults) {
    if (defaults == null) {
      return;
    }
    if (disruptive == null || "block".equals(disruptive)) {
      disruptive =
          defaults.disruptive == null || "block".equals(defaults.disruptive)
              ? "pass"
              : defaults.disruptive;
      if (status == 0) {
        status = defaults.status;
      }
      if (redirect == null) {
        redirect = defaults.redirect;
      }
    }
    if (log == null) {
      log = defaults.log;
    }
    if (!transformsReset) {
      transforms.addAll(0, defaults.transforms);
    }
    for (String tag : defaults.tags) {
      if (!tags.contains(tag)) {
        tags.add(tag);
      }
    }
  }

  static String severityName(String s) {
    if (s == null) {
      return null;
    }
    String[] names = {
      "EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO", "DEBUG"
    };
    try {
      int n = Integer.parseInt(s.trim());
      return n >= 0 && n < names.length ? names[n] : s;
    } catch (NumberFormatException e) {
      return s.trim().toUpperCase();
    }
  }
}
