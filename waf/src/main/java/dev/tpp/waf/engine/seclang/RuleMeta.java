package dev.tpp.waf.engine.seclang;

import java.util.List;

/** What a rule says about itself, for log lines and exclusions. Immutable. */
public record RuleMeta(
    String id,
    int phase,
    String file,
    int line,
    String msg,
    String logdata,
    List<String> tags,
    String severity,
    String ver,
    String rev,
    String maturity,
    String accuracy) {

  public RuleMeta {
    tags = List.copyOf(tags);
  }

  public int numericId() {
    try {
      return Integer.parseInt(id);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
