package dev.tpp.waf.engine.operator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * Case-insensitive multi-phrase matcher for {@code @pm} / {@code @pmFromFile} (ModSecurity
 * lowercases both sides) and the {@link LiteralPrefilter}. Built at rule-set build time into a flat
 * DFA over the phrases' alphabet (one table lookup per input char, no boxing, no fail-link walks),
 * then read-only: safe from any number of threads.
 */
final class AhoCorasick {
  /**
   * Input char to column, case folding included; chars that occur in no phrase share column 0,
   * whose transitions all lead back to the root.
   */
  private final int[] latin1Class = new int[256];

  private final Map<Character, Integer> wideClass = new HashMap<>();
  private final int classes;

  /**
   * Row-major transitions; entries are the next state's row offset ({@code state * classes}), or
   * {@code -state - 1} when that state has an output, so the scan loop needs no second lookup.
   */
  private final int[] delta;

  /** Per state: the longest phrase ending there (or reached through fail links), else null. */
  private final @Nullable String[] output;

  /**
   * Per state, {@link #labelWords} longs: the bits of the labels of every phrase ending there (or
   * reached through fail links); null when unlabelled. Bit sets rather than label lists: short
   * literals make most states outputs.
   */
  private final long @Nullable [] labelBits;

  private final int labelWords;

  AhoCorasick(Collection<String> phrases) {
    this(Trie.of(phrases, null), false);
  }

  /**
   * An automaton over the keys of {@code labelsByPhrase} for {@link #markLabels}: one scan reports
   * the labels of every phrase a text contains.
   */
  static AhoCorasick labelled(Map<String, int[]> labelsByPhrase) {
    return new AhoCorasick(Trie.of(labelsByPhrase.keySet(), labelsByPhrase), true);
  }

  private AhoCorasick(Trie trie, boolean labelled) {
    labelWords = labelled ? (trie.maxLabel + 64) >>> 6 : 0;
    int nextClass = 1;
    for (char c : trie.alphabet) {
      if (c < 256) {
        latin1Class[c] = nextClass++;
      } else {
        wideClass.put(c, nextClass++);
      }
    }
    for (char c = 'A'; c <= 'Z'; c++) {
      latin1Class[c] = latin1Class[fold(c)];
    }
    classes = nextClass;
    List<Trie.Node> states = trie.linkFailures();
    delta = new int[states.size() * classes];
    output = new String[states.size()];
    labelBits = labelled ? new long[states.size() * labelWords] : null;
    for (Trie.Node n :
        states) { // breadth-first: a fail state's row is complete before it is copied
      output[n.id] = n.output;
      if (labelled && n.labels != null) {
        for (int label : n.labels) {
          Objects.requireNonNull(labelBits)[n.id * labelWords + (label >>> 6)] |= 1L << label;
        }
      }
      for (char c : trie.alphabet) {
        Trie.Node to = n.next.get(c);
        int cls = classOf(c);
        delta[n.id * classes + cls] =
            to != null
                ? entry(to)
                : n == trie.root
                    ? 0
                    : delta[
                        Objects.requireNonNull(n.fail, "fail: set breadth-first").id * classes
                            + cls];
      }
    }
  }

  private static char fold(char c) {
    return c < 128 ? Character.toLowerCase(c) : c;
  }

  private int entry(Trie.Node to) {
    return to.output == null ? to.id * classes : -to.id - 1;
  }

  /** The column of {@code c}; folds ASCII case (other chars are compared as they are). */
  private int classOf(char c) {
    if (c < 256) {
      return latin1Class[c];
    }
    Integer cls = wideClass.isEmpty() ? null : wideClass.get(c);
    return cls == null ? 0 : cls;
  }

  /** The first phrase found in {@code text}, or null. */
  @Nullable String find(String text) {
    int state = 0;
    for (int i = 0; i < text.length(); i++) {
      int next = delta[state + classOf(text.charAt(i))];
      if (next < 0) {
        return output[-next - 1];
      }
      state = next;
    }
    return null;
  }

  /**
   * Whether {@code text} contains a phrase or any char beyond Latin-1 (see {@link
   * LiteralPrefilter#mayMatch}).
   */
  boolean findsOrBeyondLatin1(String text) {
    int state = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c > 0xFF) {
        return true;
      }
      int next = delta[state + latin1Class[c]];
      if (next < 0) {
        return true;
      }
      state = next;
    }
    return false;
  }

  /**
   * Sets, in {@code bits}, the bit of each label of each phrase {@code text} contains; returns
   * false, with the bits incomplete, at the first char beyond Latin-1 (see {@link
   * LiteralPrefilter#mayMatch}).
   */
  boolean markLabels(String text, long[] bits) {
    int state = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c > 0xFF) {
        return false;
      }
      int next = delta[state + latin1Class[c]];
      if (next < 0) {
        int id = -next - 1;
        long[] labels = Objects.requireNonNull(labelBits, "labelBits: a label state is labelled");
        for (int w = 0, from = id * labelWords; w < labelWords; w++) {
          bits[w] |= labels[from + w];
        }
        next = id * classes;
      }
      state = next;
    }
    return true;
  }

  static List<String> splitPhrases(String param) {
    List<String> out = new ArrayList<>();
    for (String p : param.trim().split("\\s+")) {
      if (!p.isEmpty()) {
        out.add(p);
      }
    }
    return out;
  }

  /** The goto/fail automaton the DFA is computed from; discarded after construction. */
  private static final class Trie {
    static final class Node {
      final Map<Character, Node> next = new HashMap<>();
      final int id;
      @Nullable Node fail;
      @Nullable String output;
      int @Nullable [] labels;

      Node(int id) {
        this.id = id;
      }
    }

    final Node root = new Node(0);
    final TreeSet<Character> alphabet = new TreeSet<>();
    private int size = 1;
    int maxLabel = -1;

    static Trie of(Collection<String> phrases, @Nullable Map<String, int[]> labels) {
      Trie trie = new Trie();
      for (String phrase : phrases) {
        if (!phrase.isEmpty()) {
          trie.add(phrase, labels == null ? null : labels.get(phrase));
        }
      }
      return trie;
    }

    void add(String phrase, int @Nullable [] phraseLabels) {
      Node n = root;
      for (char raw : phrase.toCharArray()) {
        char c = fold(raw);
        alphabet.add(c);
        n = n.next.computeIfAbsent(c, k -> new Node(size++));
      }
      n.output = phrase;
      n.labels = union(n.labels, phraseLabels);
      if (phraseLabels != null) {
        for (int label : phraseLabels) {
          maxLabel = Math.max(maxLabel, label);
        }
      }
    }

    private static int @Nullable [] union(int @Nullable [] a, int @Nullable [] b) {
      if (a == null || b == null) {
        return a == null ? b : a;
      }
      return IntStream.concat(Arrays.stream(a), Arrays.stream(b)).distinct().sorted().toArray();
    }

    /** Sets fail links and inherited outputs breadth-first; returns every node, root first. */
    List<Node> linkFailures() {
      List<Node> all = new ArrayList<>(size);
      Queue<Node> queue = new ArrayDeque<>();
      root.fail = root;
      all.add(root);
      for (Node child : root.next.values()) {
        child.fail = root;
        queue.add(child);
      }
      while (!queue.isEmpty()) {
        Node n = queue.remove();
        all.add(n);
        for (Map.Entry<Character, Node> e : n.next.entrySet()) {
          Node child = e.getValue();
          Node f = Objects.requireNonNull(n.fail, "fail: set breadth-first");
          while (f != root && !f.next.containsKey(e.getKey())) {
            f = Objects.requireNonNull(f.fail, "fail: set breadth-first");
          }
          Node target = f.next.get(e.getKey());
          child.fail = target != null && target != child ? target : root;
          if (child.output == null) {
            child.output = child.fail.output;
          }
          child.labels = union(child.labels, child.fail.labels);
          queue.add(child);
        }
      }
      return all;
    }
  }
}
