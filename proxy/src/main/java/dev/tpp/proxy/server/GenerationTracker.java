package dev.tpp.proxy.server;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * Which generations are still in use, so a resource that several generations share (an offload pool
 * swapped out by a reload) is released only after every generation that may hold it has ended its
 * last exchange. Thread-safe: the control thread publishes, event loops report releases.
 */
final class GenerationTracker {
  private record Pending(long through, Runnable action) {}

  private final TreeSet<Long> live = new TreeSet<>();
  private final List<Pending> pending = new ArrayList<>();

  synchronized void published(Generation generation) {
    live.add(generation.seq());
  }

  /**
   * Runs {@code action} (on the reporting thread) once neither {@code last} nor any older
   * generation is in use.
   */
  void whenReleasedThrough(Generation last, Runnable action) {
    synchronized (this) {
      if (!live.isEmpty() && live.first() <= last.seq()) {
        pending.add(new Pending(last.seq(), action));
        return;
      }
    }
    action.run();
  }

  /** {@code generation} ended its last exchange; runs what was waiting for it. */
  void released(Generation generation) {
    List<Runnable> due = new ArrayList<>();
    synchronized (this) {
      live.remove(generation.seq());
      long oldest = live.isEmpty() ? Long.MAX_VALUE : live.first();
      for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
        Pending p = it.next();
        if (oldest > p.through()) {
          due.add(p.action());
          it.remove();
        }
      }
    }
    due.forEach(Runnable::run);
  }

  /** Runs everything still waiting, at once (the server is closing). */
  void runPending() {
    List<Runnable> due;
    synchronized (this) {
      due = pending.stream().map(Pending::action).toList();
      pending.clear();
    }
    due.forEach(Runnable::run);
  }
}
