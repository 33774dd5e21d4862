package dev.tpp.waf.engine.operator;

import java.util.List;

/**
 * {@code @pm} and {@code @pmFromFile}: does the input contain one of the phrases (ASCII case
 * folded, as ModSecurity lowercases both sides)? In the rules of phases 3 and 4 the phrase set is
 * also a group of the rule set's {@link PrefilterIndex} response lane, so a response body is
 * scanned once for all RESPONSE-95x lists together; the rule's own automaton then runs only on a
 * text where one of its phrases occurs, to name the phrase (for {@code capture} and the log). In
 * request phases each rule scans on its own: their lists would grow the request lane's table ~10x
 * for values that are mostly short. Immutable, shared by pool threads.
 */
final class Phrases implements Operator {
  private final AhoCorasick phrases;

  /** This set's group in the response lane, or -1 when not indexed. */
  private final int group;

  private Phrases(AhoCorasick phrases, int group) {
    this.phrases = phrases;
    this.group = group;
  }

  /** The operator over {@code phrases}, indexed when {@code index} is the response lane's. */
  static Phrases of(List<String> phrases, PrefilterIndex.Builder index) {
    boolean indexed = index != null && index.lane() == PrefilterIndex.RESPONSE;
    return new Phrases(new AhoCorasick(phrases), indexed ? index.register(phrases) : -1);
  }

  @Override
  public boolean matches(String in, MatchContext ctx) {
    if (group >= 0) {
      PrefilterIndex.Hits hits = ctx.literalHits(in);
      if (hits != null && !hits.mayContain(group)) {
        return false; // exact: the shared scan found none of these phrases in the text
      }
    }
    return Operators.capture(ctx, phrases.find(in));
  }
}
