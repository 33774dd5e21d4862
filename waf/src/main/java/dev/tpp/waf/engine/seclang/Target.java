package dev.tpp.waf.engine.seclang;

import dev.tpp.waf.engine.operator.Regex;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a rule's target list (immutable, shared by pool threads), e.g. {@code ARGS:foo},
 * {@code &TX:x}, {@code !REQUEST_COOKIES:/^_ga/}.
 *
 * @param variable the variable, resolved from the registry when the rule was parsed
 * @param key the selector after ':' (null for all); matched case-insensitively
 * @param keyRegex set when the selector was {@code /regex/}
 * @param count {@code &}: the number of values instead of the values
 * @param exclude {@code !}: removes matching values produced by the other targets
 */
public record Target(
    Variable variable,
    @Nullable String key,
    @Nullable Regex keyRegex,
    boolean count,
    boolean exclude) {

  /** Whether a value named {@code name} inside this collection is selected by this target's key. */
  public boolean selects(String name) {
    if (keyRegex != null) {
      return keyRegex.find(name) != null;
    }
    return key == null || key.equalsIgnoreCase(name);
  }

  @Override
  public String toString() {
    String k = keyRegex != null ? ":/" + key + "/" : key != null ? ":" + key : "";
    return (exclude ? "!" : "") + (count ? "&" : "") + variable + k;
  }
}
