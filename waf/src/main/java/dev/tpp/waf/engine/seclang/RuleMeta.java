package dev.tpp.waf.engine.seclang;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a rule says about itself, for log lines and exclusions. Immutable. {@code msg} and {@code
 * logdata} are parsed once (their macros expand per match); null when the rule has none.
 */
public record RuleMeta(
    @Nullable String id,
    int phase,
    String file,
    int line,
    @Nullable MacroText msg,
    @Nullable MacroText logdata,
    List<String> tags,
    @Nullable String severity,
    @Nullable String ver,
    @Nullable String rev,
    @Nullable String maturity,
    @Nullable String accuracy) {

  public RuleMeta {
    tags = List.copyOf(tags);
  }

  /** The msg as written (macros unexpanded), or null: what {@code SecRuleRemoveByMsg} compares. */
  public @Nullable String msgText() {
    return msg == null ? null : msg.text();
  }

  public int numericId() {
    try {
      return Integer.parseInt(id);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
