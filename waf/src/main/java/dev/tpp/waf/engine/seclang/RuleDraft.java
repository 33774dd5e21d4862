package dev.tpp.waf.engine.seclang;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The mutable actions of one rule while its directive is parsed; frozen into a {@link Rule} by the
 * parser.
 */
final class RuleDraft {
  @Nullable String id;
  @Nullable Integer phase;
  @Nullable MacroText msg;
  @Nullable MacroText logdata;
  final List<String> tags = new ArrayList<>();
  @Nullable String severity;
  @Nullable String ver;
  @Nullable String rev;
  @Nullable String maturity;
  @Nullable String accuracy;
  final List<String> transforms = new ArrayList<>();
  boolean transformsReset;
  boolean multiMatch;
  @Nullable String
      disruptive; // pass, block, deny, drop, allow, allow:phase, allow:request, redirect
  int status;
  @Nullable MacroText redirect;
  @Nullable Boolean log;
  boolean capture;
  final List<RuleAction> actions = new ArrayList<>();
  int skip;
  @Nullable String skipAfter;
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

  static @Nullable String severityName(String s) {
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
