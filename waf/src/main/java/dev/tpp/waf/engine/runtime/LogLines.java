package dev.tpp.waf.engine.runtime;

import dev.tpp.waf.engine.RuleMatch;
import dev.tpp.waf.engine.audit.MatchDetails;
import dev.tpp.waf.engine.seclang.Rule;
import dev.tpp.waf.engine.seclang.RuleMeta;
import org.jspecify.annotations.Nullable;

/**
 * Formats a matched rule as ModSecurity logs it, so CRS regression regexes ({@code id "942100"})
 * work as-is.
 */
final class LogLines {
  private static final int MAX_VALUE = 1024;

  private LogLines() {}

  static RuleMatch match(
      Rule rule, RuleRunner.MatchInfo info, Transaction tx, boolean interrupted, int phase) {
    RuleMeta m = rule.meta();
    String msg = m.msg() == null ? "" : m.msg().expand(tx.macros);
    String data = m.logdata() == null ? "" : m.logdata().expand(tx.macros);
    StringBuilder b = new StringBuilder(256).append("ModSecurity: ");
    if (interrupted) {
      b.append("Access denied with code ")
          .append(rule.status())
          .append(" (phase ")
          .append(phase)
          .append("). ");
    } else {
      b.append("Warning. ");
    }
    String match = matchText(info);
    b.append(match);
    field(b, "file", m.file());
    field(b, "line", Integer.toString(m.line()));
    field(b, "id", m.id());
    field(b, "rev", m.rev());
    field(b, "msg", msg);
    field(b, "data", cut(data));
    field(b, "severity", m.severity());
    field(b, "ver", m.ver());
    field(b, "maturity", m.maturity());
    field(b, "accuracy", m.accuracy());
    for (String tag : m.tags()) {
      field(b, "tag", tag);
    }
    field(b, "hostname", Variables.serverName(tx));
    field(b, "uri", tx.line.path());
    field(b, "unique_id", tx.request.id());
    MatchDetails details =
        new MatchDetails(
            match,
            m.file(),
            m.line(),
            MatchDetails.severityNumber(m.severity()),
            orEmpty(m.ver()),
            orEmpty(m.rev()),
            m.tags(),
            orZero(m.maturity()),
            orZero(m.accuracy()));
    // a logged rule is a chain starter, which RuleCompiler refuses without an id
    @SuppressWarnings("NullAway")
    RuleMatch logged =
        new RuleMatch(
            m.id(), msg, data, m.severity() == null ? "" : m.severity(), b.toString(), details);
    return logged;
  }

  /** ModSecurity's description of what matched (the audit log's {@code details.match}). */
  private static String matchText(RuleRunner.MatchInfo info) {
    Rule link = info.rule;
    if (link == null || link.isAction()) {
      return "Unconditional match in SecAction.";
    }
    return "Matched \"Operator `"
        + capitalize(link.operatorName())
        + "' with parameter `"
        + cut(link.operatorParam())
        + "' against variable `"
        + info.variable
        + "' (Value: `"
        + cut(info.value)
        + "' )";
  }

  private static String orEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }

  private static String orZero(@Nullable String s) {
    return s == null ? "0" : s;
  }

  private static void field(StringBuilder b, String name, @Nullable String value) {
    if (value == null) {
      return;
    }
    b.append(" [").append(name).append(" \"").append(value.replace("\"", "\\\"")).append("\"]");
  }

  private static String capitalize(@Nullable String s) {
    return s == null || s.isEmpty() ? "" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String cut(@Nullable String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= MAX_VALUE ? s : s.substring(0, MAX_VALUE) + "...";
  }
}
