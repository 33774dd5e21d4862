package dev.tpp.waf.engine.operator;

import dev.tpp.waf.engine.seclang.MacroText;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Per-request services an operator may need: capture groups and macro expansion. One per
 * transaction, one thread.
 */
public interface MatchContext {

  /** Whether the rule asked for {@code capture}: only then are TX:0..9 written. */
  boolean capturing();

  /** Stores TX:0 (whole match) to TX:9 from the groups given, in order. */
  void capture(List<String> groups);

  /**
   * An operator parameter's macros ({@code %{tx.x}}), parsed when the rule was, expanded with this
   * request's values: a lookup per reference.
   */
  String expand(MacroText text);

  /**
   * The rule set's {@link PrefilterIndex} scan of {@code text}, kept per text for the request, or
   * null when the context keeps none: it lets regex prefilters skip their own scan; it never
   * changes an answer.
   */
  default PrefilterIndex.@Nullable Hits literalHits(String text) {
    return null;
  }
}
