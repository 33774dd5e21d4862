package dev.tpp.waf.engine.operator;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One Aho-Corasick automaton over the literals of every {@link LiteralPrefilter} of a rule set: a
 * text is scanned once, and each prefilter then tests one bit instead of running its own scan (CRS
 * has a few hundred of them, and a form field is inspected by dozens). Prefilters with the same
 * literal set share a bit. Built by a {@link Builder} at rule-set build time, then read-only and
 * shared by pool threads; each {@link Hits} belongs to the transaction that asked for it.
 */
public final class PrefilterIndex {
  /** An index without prefilters: nothing registered, nothing to scan. */
  public static final PrefilterIndex EMPTY = new Builder().build();

  private final AhoCorasick literals;
  private final int words;

  private PrefilterIndex(AhoCorasick literals, int groups) {
    this.literals = literals;
    this.words = (groups + 63) >>> 6;
  }

  /**
   * Which prefilters' literals occur in {@code text}; called once per distinct inspected text by
   * its transaction.
   */
  public Hits scan(String text) {
    long[] bits = new long[words];
    // RE2's case folding maps 'k' and 's' to U+212A and U+017F too: beyond Latin-1, every prefilter
    // lets RE2 decide
    return literals.markLabels(text, bits) ? new Hits(bits) : Hits.ANY;
  }

  /** The prefilters (by bit) whose literals occur in one text. Immutable once scanned. */
  public static final class Hits {
    static final Hits ANY = new Hits(null);
    private final long @Nullable [] bits;

    private Hits(long @Nullable [] bits) {
      this.bits = bits;
    }

    /**
     * Whether a literal of the prefilter registered as {@code group} occurs in the text (always,
     * for ANY).
     */
    boolean mayContain(int group) {
      return bits == null || (bits[group >>> 6] & 1L << group) != 0;
    }
  }

  /**
   * Collects prefilter literal sets while rules compile; one per rule set, used by the compiling
   * thread only.
   */
  public static final class Builder {
    private final Map<Set<String>, Integer> groups = new HashMap<>();

    /**
     * The bit of {@code literalSet} (lower-case ASCII strings) in the index {@link #build} will
     * return.
     */
    int register(Set<String> literalSet) {
      return groups.computeIfAbsent(Set.copyOf(literalSet), k -> groups.size());
    }

    /** The index over every literal set registered so far. */
    public PrefilterIndex build() {
      Map<String, int[]> labels = new HashMap<>();
      for (Map.Entry<Set<String>, Integer> e : groups.entrySet()) {
        for (String literal : e.getKey()) {
          labels.merge(literal, new int[] {e.getValue()}, Builder::concat);
        }
      }
      return new PrefilterIndex(AhoCorasick.labelled(labels), groups.size());
    }

    private static int[] concat(int[] a, int[] b) {
      int[] out = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, out, a.length, b.length);
      return out;
    }
  }
}
