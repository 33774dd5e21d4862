package dev.tpp.waf.engine.operator;

import java.util.List;

/** Per-request services an operator may need: capture groups and macro expansion. One per transaction, one thread. */
public interface MatchContext {

  /** Whether the rule asked for {@code capture}: only then are TX:0..9 written. */
  boolean capturing();

  /** Stores TX:0 (whole match) to TX:9 from the groups given, in order. */
  void capture(List<String> groups);

  /** Expands {@code %{...}} macros in an operator parameter. */
  String expand(String text);

  /**
   * The sketch of {@code text} when the context keeps one (texts that several rules inspect), else null: a hint
   * that lets regex prefilters skip their scan; it never changes an answer.
   */
  default TextSketch sketch(String text) {
    return null;
  }
}
