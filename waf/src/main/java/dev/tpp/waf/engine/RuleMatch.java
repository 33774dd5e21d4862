package dev.tpp.waf.engine;

import dev.tpp.waf.engine.audit.MatchDetails;
import org.jspecify.annotations.Nullable;

/**
 * One rule that matched a request, with the line the proxy logs for it in ModSecurity's shape, e.g.
 * {@code ModSecurity: Warning. ... [id "942100"] [msg "..."] [data "..."] [severity "CRITICAL"]
 * [unique_id "..."]}, and the fields the audit log's {@code details} hold ({@code details} may be
 * null for matches made up by tests).
 */
public record RuleMatch(
    String ruleId,
    String message,
    String data,
    String severity,
    String logLine,
    @Nullable MatchDetails details) {

  public RuleMatch(String ruleId, String message, String data, String severity, String logLine) {
    this(ruleId, message, data, severity, logLine, null);
  }
}
