package dev.tpp.waf.engine.operator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * Case-insensitive multi-phrase matcher for {@code @pm} / {@code @pmFromFile} (ModSecurity lowercases both sides).
 * Built at rule-set build time, then read-only: {@link #find} is safe from any number of threads.
 */
final class AhoCorasick {
  private static final class Node {
    final Map<Character, Node> next = new HashMap<>();
    Node fail;
    String output; // the longest phrase ending here (or reached through fail links)
  }

  private final Node root = new Node();

  AhoCorasick(Collection<String> phrases) {
    for (String phrase : phrases) {
      if (phrase.isEmpty()) continue;
      Node n = root;
      for (char c : phrase.toCharArray()) n = n.next.computeIfAbsent(fold(c), k -> new Node());
      n.output = phrase;
    }
    Queue<Node> queue = new ArrayDeque<>();
    root.fail = root;
    for (Node child : root.next.values()) {
      child.fail = root;
      queue.add(child);
    }
    while (!queue.isEmpty()) {
      Node n = queue.remove();
      for (Map.Entry<Character, Node> e : n.next.entrySet()) {
        Node child = e.getValue();
        Node f = n.fail;
        while (f != root && !f.next.containsKey(e.getKey())) f = f.fail;
        Node target = f.next.get(e.getKey());
        child.fail = target != null && target != child ? target : root;
        if (child.output == null) child.output = child.fail.output;
        queue.add(child);
      }
    }
  }

  private static char fold(char c) {
    return c < 128 ? Character.toLowerCase(c) : c;
  }

  /** The first phrase found in {@code text}, or null. */
  String find(String text) {
    Node n = root;
    for (int i = 0; i < text.length(); i++) {
      char c = fold(text.charAt(i));
      while (n != root && !n.next.containsKey(c)) n = n.fail;
      n = n.next.getOrDefault(c, root);
      if (n.output != null) return n.output;
    }
    return null;
  }

  static List<String> splitPhrases(String param) {
    List<String> out = new ArrayList<>();
    for (String p : param.trim().split("\\s+")) if (!p.isEmpty()) out.add(p);
    return out;
  }
}
