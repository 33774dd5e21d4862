package dev.tpp.waf.engine.operator;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Aho-Corasick automata over the literals of a rule set's {@link LiteralPrefilter}s (and, for the
 * response phases, its {@code @pm} phrase sets): a text is scanned once per lane, and each
 * prefilter then tests one bit instead of running its own scan (CRS has a few hundred of them, and
 * a form field is inspected by dozens). Sets with the same strings share a bit.
 *
 * <p>Two lanes: {@link #REQUEST} for the rules of phases 1, 2 and 5 (many short values, a compact
 * table), {@link #RESPONSE} for phases 3 and 4, where a response body is scanned once for every
 * regex literal and every {@code @pmFromFile} list of the RESPONSE-95x rules instead of once per
 * rule. Built by a {@link Builder} at rule-set build time, then read-only and shared by pool
 * threads; each {@link Hits} belongs to the transaction that asked for it.
 */
public final class PrefilterIndex {
  /** The lane of the rules of phases 1, 2 and 5. */
  public static final int REQUEST = 0;

  /** The lane of the rules of phases 3 and 4. */
  public static final int RESPONSE = 1;

  /** An index without prefilters: nothing registered, nothing to scan. */
  public static final PrefilterIndex EMPTY = new Builder().build();

  private final AhoCorasick[] lanes;
  private final int[] words;

  private PrefilterIndex(AhoCorasick[] lanes, int[] groups) {
    this.lanes = lanes;
    this.words = new int[groups.length];
    for (int i = 0; i < groups.length; i++) {
      words[i] = (groups[i] + 63) >>> 6;
    }
  }

  /**
   * The hits of {@code text}, each lane scanned when a prefilter of it first asks; called once per
   * distinct inspected text by its transaction.
   */
  public Hits scan(String text) {
    return new Hits(this, text);
  }

  /** A registered set's lane and bit, packed: the lane in the high half. */
  static int group(int lane, int bit) {
    return lane << 16 | bit;
  }

  /**
   * Which prefilters' literals occur in one text, per lane (scanned on first use). Used by the
   * transaction's thread only.
   */
  public static final class Hits {
    private final PrefilterIndex index;
    private final String text;
    private final long[][] bits;

    private Hits(PrefilterIndex index, String text) {
      this.index = index;
      this.text = text;
      this.bits = new long[index.lanes.length][];
    }

    /**
     * Whether a string of the set registered as {@code group} occurs in the text (always, for texts
     * with a char beyond Latin-1).
     */
    boolean mayContain(int group) {
      int lane = group >>> 16;
      long[] b = bits[lane];
      if (b == null) {
        b = new long[index.words[lane]];
        // RE2's case folding maps 'k' and 's' to U+212A and U+017F too: beyond Latin-1, every
        // prefilter lets RE2 decide (and @pm its own scan)
        if (!index.lanes[lane].markLabels(text, b)) {
          Arrays.fill(b, -1L);
        }
        bits[lane] = b;
      }
      int bit = group & 0xFFFF;
      return (b[bit >>> 6] & 1L << bit) != 0;
    }
  }

  /**
   * Collects prefilter literal sets and phrase sets while rules compile; one per rule set, used by
   * the compiling thread only. {@link #lane} gives the registrar for one lane.
   */
  public static final class Builder {
    private final List<Map<Set<String>, Integer>> groups;
    private final int lane;

    public Builder() {
      this(List.of(new HashMap<>(), new HashMap<>()), REQUEST);
    }

    private Builder(List<Map<Set<String>, Integer>> groups, int lane) {
      this.groups = groups;
      this.lane = lane;
    }

    /** A registrar for {@code lane} ({@link #REQUEST} or {@link #RESPONSE}) of the same index. */
    public Builder lane(int lane) {
      return lane == this.lane ? this : new Builder(groups, lane);
    }

    /** The lane this registrar adds to. */
    int lane() {
      return lane;
    }

    /**
     * The group of {@code strings} (compared with ASCII case folded, as {@link AhoCorasick} does)
     * in the index {@link #build} will return.
     */
    int register(Collection<String> strings) {
      Map<Set<String>, Integer> mine = groups.get(lane);
      int bit = mine.computeIfAbsent(Set.copyOf(strings), k -> mine.size());
      if (bit > 0xFFFF) {
        throw new IllegalStateException("more than 65536 prefilter sets in one lane");
      }
      return group(lane, bit);
    }

    /** The index over every set registered so far. */
    public PrefilterIndex build() {
      AhoCorasick[] automata = new AhoCorasick[groups.size()];
      int[] sizes = new int[groups.size()];
      for (int l = 0; l < automata.length; l++) {
        Map<String, int[]> labels = new HashMap<>();
        for (Map.Entry<Set<String>, Integer> e : groups.get(l).entrySet()) {
          for (String literal : e.getKey()) {
            labels.merge(literal, new int[] {e.getValue()}, Builder::concat);
          }
        }
        automata[l] = AhoCorasick.labelled(labels);
        sizes[l] = groups.get(l).size();
      }
      return new PrefilterIndex(automata, sizes);
    }

    private static int[] concat(int[] a, int[] b) {
      int[] out = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, out, a.length, b.length);
      return out;
    }
  }
}
