package dev.tpp.config;

import java.util.List;

/**
 * The WAF: inspection runs in {@code pool}. Bodies up to {@code inMemoryBodyLimit} bytes are
 * inspected from memory, larger ones up to {@code requestBodyLimit} from a spool file, beyond that
 * 413.
 */
public record WafConfig(
    boolean enabled,
    String pool,
    Mode mode,
    long requestBodyLimit,
    long inMemoryBodyLimit,
    Crs crs,
    List<String> ruleFiles,
    String rules) {

  public WafConfig {
    ruleFiles = List.copyOf(ruleFiles);
  }

  /** {@code block} answers 403 (or the rule's status); {@code detect} logs and passes. */
  public enum Mode {
    BLOCK,
    DETECT
  }

  /** An OWASP CRS installation to load (crs-setup + rules). */
  public record Crs(boolean enabled, String path, int paranoiaLevel, int anomalyThreshold) {}
}
