package dev.tpp.waf.engine.operator;

import com.google.re2j.Pattern;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Answers "does the pattern match anywhere in this input" for an RE2/J program, as a DFA built
 * lazily from the program's own instructions (RE2's approach; RE2/J only has the NFA, which costs
 * tens of microseconds per value on CRS's large alternations). A state is the set of instructions
 * the NFA's threads wait at plus the kind of the previous rune (for ^, $, \b); each is built once,
 * on first need, and its transitions are cached per column of equivalent Latin-1 runes. Inputs with
 * a rune beyond Latin-1, and every input once a pattern has built {@link #MAX_STATES} states, get
 * {@link Answer#UNKNOWN}: RE2/J decides them. Shared by pool threads: states are immutable and
 * canonical through a concurrent map; a transition slot is written racily with a canonical state (a
 * reader that sees null computes the same one).
 */
final class LazyDfa {
  /** Bounds memory per pattern: about MAX_STATES × columns references. */
  static final int MAX_STATES = 2000;

  // the kind of the rune before the current position, as RE2/J's emptyOpContext sees it
  private static final int BEGIN = 0;
  private static final int NEWLINE = 1;
  private static final int WORD = 2;
  private static final int OTHER = 3;
  private static final int[] KIND_RUNE = {-1, '\n', 'a', ' '};

  enum Answer {
    MATCH,
    NO_MATCH,
    UNKNOWN
  }

  private static final class State {
    final int[] pcs;
    final int kind;
    final int hash;
    final State[] next;

    /** 0 not yet known, 1 a match ends at the end of input, 2 none. */
    byte atEnd;

    State(int[] pcs, int kind, int columns) {
      this.pcs = pcs;
      this.kind = kind;
      this.hash = 31 * Arrays.hashCode(pcs) + kind;
      this.next = new State[columns];
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof State s && s.kind == kind && Arrays.equals(s.pcs, pcs);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private static final State MATCHED = new State(new int[0], OTHER, 0);

  private final Re2Program prog;
  private final int[] column = new int[256];
  private final int columns;
  private final Map<State, State> states = new ConcurrentHashMap<>();
  private final State start;

  private LazyDfa(Re2Program prog) {
    this.prog = prog;
    Map<String, Integer> bySignature = new HashMap<>();
    for (int c = 0; c < 256; c++) {
      StringBuilder signature = new StringBuilder().append(kindOf(c));
      for (int pc = 0; pc < prog.op.length; pc++) {
        if (prog.accepts[pc] != null) {
          signature.append(prog.accepts(pc, c) ? '1' : '0');
        }
      }
      column[c] = bySignature.computeIfAbsent(signature.toString(), k -> bySignature.size());
    }
    this.columns = bySignature.size();
    this.start = new State(new int[0], BEGIN, columns);
    states.put(start, start);
  }

  /** The DFA for {@code pattern}'s program, or null when the program cannot be read. */
  static @Nullable LazyDfa of(Pattern pattern) {
    Re2Program prog = Re2Program.of(pattern);
    return prog == null ? null : new LazyDfa(prog);
  }

  /**
   * Whether an unanchored search of {@code input} finds a match, as RE2/J's {@code Matcher.find()}
   * would.
   */
  Answer find(String input) {
    State s = start;
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      if (c > 0xFF) {
        return Answer.UNKNOWN;
      }
      State next = s.next[column[c]];
      if (next == null && (next = step(s, c)) == null) {
        return Answer.UNKNOWN;
      }
      if (next == MATCHED) {
        return Answer.MATCH;
      }
      s = next;
    }
    if (s.atEnd == 0) {
      s.atEnd = closure(s, flags(s.kind, -1), null) ? (byte) 1 : (byte) 2;
    }
    return s.atEnd == 1 ? Answer.MATCH : Answer.NO_MATCH;
  }

  /**
   * Builds (and caches) the transition of {@code s} on rune {@code c}; null once the state budget
   * is spent.
   */
  private @Nullable State step(State s, int c) {
    int[] waiting = new int[prog.op.length];
    int[] count = {0};
    if (closure(s, flags(s.kind, c), (pc) -> waiting[count[0]++] = pc)) {
      return cache(s, c, MATCHED);
    }
    int[] next = new int[count[0]];
    int n = 0;
    boolean[] seen = new boolean[prog.op.length];
    for (int k = 0; k < count[0]; k++) {
      int pc = waiting[k];
      int to = prog.out[pc];
      if (prog.accepts(pc, c) && !seen[to]) {
        seen[to] = true;
        next[n++] = to;
      }
    }
    int[] pcs = Arrays.copyOf(next, n);
    Arrays.sort(pcs);
    State candidate = new State(pcs, kindOf(c), columns);
    State known = states.get(candidate);
    if (known == null) {
      if (states.size() >= MAX_STATES) {
        return null;
      }
      known = states.putIfAbsent(candidate, candidate);
      if (known == null) {
        known = candidate;
      }
    }
    return cache(s, c, known);
  }

  private State cache(State s, int c, State to) {
    s.next[column[c]] = to;
    return to;
  }

  private interface PcSink {
    void accept(int pc);
  }

  /**
   * Follows the empty transitions from the state's threads and from a new thread at the program's
   * start (the search is unanchored) under the position's {@code flags}; hands rune instructions to
   * {@code runes} and returns whether a MATCH instruction is reachable.
   */
  private boolean closure(State s, int flags, @Nullable PcSink runes) {
    boolean[] seen = new boolean[prog.op.length];
    int[] stack = new int[prog.op.length + 1];
    int top = 0;
    stack[top++] = prog.start;
    for (int i = s.pcs.length - 1; i >= 0; i--) {
      stack[top++] = s.pcs[i];
    }
    boolean matched = false;
    while (top > 0) {
      int pc = stack[--top];
      if (seen[pc]) {
        continue;
      }
      seen[pc] = true;
      switch (prog.op[pc]) {
        case Re2Program.ALT, Re2Program.ALT_MATCH -> {
          if (top + 2 > stack.length) {
            stack = Arrays.copyOf(stack, stack.length * 2);
          }
          stack[top++] = prog.arg[pc];
          stack[top++] = prog.out[pc];
        }
        case Re2Program.EMPTY_WIDTH -> {
          if ((prog.arg[pc] & ~flags) == 0) {
            stack = push(stack, top++, prog.out[pc]);
          }
        }
        case Re2Program.NOP, Re2Program.CAPTURE -> stack = push(stack, top++, prog.out[pc]);
        case Re2Program.MATCH -> matched = true;
        case Re2Program.FAIL -> {}
        default -> {
          if (runes != null) {
            runes.accept(pc);
          }
        }
      }
    }
    return matched;
  }

  private static int[] push(int[] stack, int top, int pc) {
    if (top >= stack.length) {
      stack = Arrays.copyOf(stack, stack.length * 2);
    }
    stack[top] = pc;
    return stack;
  }

  private static int kindOf(int c) {
    if (c == '\n') {
      return NEWLINE;
    }
    return isWordRune(c) ? WORD : OTHER;
  }

  private static boolean isWordRune(int r) {
    return 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '_';
  }

  /**
   * RE2/J's {@code Utils.emptyOpContext}: the EMPTY_* flags that hold between rune {@code r1} and
   * {@code r2}.
   */
  private static int flags(int previousKind, int r2) {
    int r1 = KIND_RUNE[previousKind];
    int op = 0;
    if (r1 < 0) {
      op |= 4 | 1; // EMPTY_BEGIN_TEXT | EMPTY_BEGIN_LINE
    }
    if (r1 == '\n') {
      op |= 1;
    }
    if (r2 < 0) {
      op |= 8 | 2; // EMPTY_END_TEXT | EMPTY_END_LINE
    }
    if (r2 == '\n') {
      op |= 2;
    }
    op |=
        isWordRune(r1) != isWordRune(r2) ? 16 : 32; // EMPTY_WORD_BOUNDARY : EMPTY_NO_WORD_BOUNDARY
    return op;
  }
}
