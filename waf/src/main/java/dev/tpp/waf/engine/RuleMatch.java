package dev.tpp.waf.engine;

/**
 * One rule that matched a request, with the line the proxy logs for it in ModSecurity's shape, e.g. {@code
 * ModSecurity: Warning. ... [id "942100"] [msg "..."] [data "..."] [severity "CRITICAL"] [unique_id "..."]}.
 */
public record RuleMatch(String ruleId, String message, String data, String severity, String logLine) {}
