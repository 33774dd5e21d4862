package dev.tpp.waf.engine.operator;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * RE2's bound on counted repetition, which RE2/J lacks: the counts of nested {@code {n,m}}
 * repetitions multiply (each copy of the inner one is compiled), so {@code (a{1000}){1000}} is a
 * million-instruction program that took RE2/J 5 s to compile here, and one more level would exhaust
 * the heap while the config loads. Like RE2 (its {@code kRegexpRepeatSize}), a pattern whose nested
 * counts multiply beyond {@value #MAX} is refused. Pure.
 */
final class RepetitionLimit {
  static final int MAX = 1000;

  private RepetitionLimit() {}

  /**
   * Throws {@link IllegalArgumentException} naming the limit when {@code pattern}'s nested counts
   * exceed it.
   */
  static void check(String pattern) {
    Deque<long[]> groups =
        new ArrayDeque<>(); // per open group: {largest product inside, product of last atom}
    long[] top = {1, 1};
    boolean inClass = false;
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\') {
        i++;
        top[1] = 1;
      } else if (inClass) {
        inClass = c != ']';
      } else if (c == '[') {
        inClass = true;
        top[1] = 1;
      } else if (c == '(') {
        groups.push(top);
        top = new long[] {1, 1};
      } else if (c == ')' && !groups.isEmpty()) {
        long inside = top[0];
        top = groups.pop();
        top[0] = Math.max(top[0], inside);
        top[1] = inside; // the group is the atom a following count repeats
      } else if (c == '{' && count(pattern, i) > 0) {
        top[1] = Math.min(top[1] * count(pattern, i), Long.MAX_VALUE / MAX / 2);
        int at = i;
        i = pattern.indexOf('}', i);
        if (top[1] > MAX) {
          throw new IllegalArgumentException(
              "invalid regex: nested repetition counts multiply to more than "
                  + MAX
                  + " (RE2's limit) at offset "
                  + at);
        }
        top[0] = Math.max(top[0], top[1]);
      } else {
        top[1] = 1;
      }
    }
  }

  /**
   * The largest count of a {@code {n}}, {@code {n,}} or {@code {n,m}} at {@code at}, 0 when it is a
   * literal brace.
   */
  private static long count(String p, int at) {
    int close = p.indexOf('}', at);
    if (close < 0 || !p.substring(at + 1, close).matches("\\d{1,6}(,\\d{0,6})?")) {
      return 0;
    }
    String[] parts = p.substring(at + 1, close).split(",", -1);
    long max =
        parts.length == 2 && !parts[1].isEmpty()
            ? Long.parseLong(parts[1])
            : Long.parseLong(parts[0]);
    return Math.max(1, max);
  }
}
