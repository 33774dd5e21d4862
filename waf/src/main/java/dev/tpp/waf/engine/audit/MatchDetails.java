package dev.tpp.waf.engine.audit;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What the audit log's {@code messages[].details} hold for one matched rule, as libmodsecurity3
 * writes them. Immutable.
 *
 * @param match ModSecurity's description of the match, e.g. {@code Matched "Operator `Rx' with
 *     parameter ...}
 * @param severity ModSecurity's number (0 EMERGENCY .. 7 DEBUG; 0 when the rule sets none)
 */
public record MatchDetails(
    String match,
    String file,
    int line,
    int severity,
    String ver,
    String rev,
    List<String> tags,
    String maturity,
    String accuracy) {

  private static final List<String> SEVERITIES =
      List.of("EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO", "DEBUG");

  public MatchDetails {
    tags = List.copyOf(tags);
  }

  /** A rule's {@code severity} action (a name or a number) as ModSecurity's number. */
  public static int severityNumber(@Nullable String severity) {
    if (severity == null || severity.isEmpty()) {
      return 0;
    }
    int named = SEVERITIES.indexOf(severity.toUpperCase(Locale.ROOT));
    if (named >= 0) {
      return named;
    }
    try {
      return Integer.parseInt(severity);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
