package dev.tpp.waf.engine.audit;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the rule set asks of the audit log, from {@code SecAuditEngine}, {@code SecAuditLogParts},
 * {@code SecAuditLogRelevantStatus} and {@code SecAuditLog}. Immutable; any thread.
 *
 * @param engine Off (default), On (every transaction) or RelevantOnly
 * @param parts the part letters, e.g. {@code ABCFHZ} (ModSecurity's default); A and Z are always
 *     written
 * @param relevantStatus statuses that make a transaction relevant (searched in the decimal status),
 *     or null
 * @param log where records go: a file path (appended to), or {@code /dev/stdout}
 */
public record AuditPolicy(
    Engine engine, String parts, @Nullable Pattern relevantStatus, @Nullable String log) {
  /** SecAuditEngine. */
  public enum Engine {
    OFF,
    ON,
    RELEVANT_ONLY
  }

  /** The default: no audit log. */
  public static final AuditPolicy OFF = new AuditPolicy(Engine.OFF, "ABCFHZ", null, null);

  /** True when records are written at all. */
  public boolean enabled() {
    return engine != Engine.OFF;
  }

  public boolean part(char letter) {
    return parts.indexOf(letter) >= 0;
  }

  /**
   * Whether a finished transaction is written: always under On; under RelevantOnly when a rule
   * matched (and logs), or the response status matches {@code SecAuditLogRelevantStatus}, as
   * libmodsecurity3's {@code saveIfRelevant}.
   */
  public boolean writes(int status, boolean anyMatch) {
    return switch (engine) {
      case OFF -> false;
      case ON -> true;
      case RELEVANT_ONLY ->
          anyMatch
              || relevantStatus != null && relevantStatus.matcher(Integer.toString(status)).find();
    };
  }
}
