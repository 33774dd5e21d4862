package dev.tpp.proxy.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.blockhound.BlockHound;

/**
 * Installs BlockHound for integration tests (system property {@code tpp.blockhound=true}, set by failsafe): a
 * blocking call on a worker loop ({@code tpp-worker-*}) is recorded and fails the test that made it. Logging to
 * stderr is allowed (one line per event is the deal we make with the loop).
 */
public final class LoopGuard {
  private static final List<String> VIOLATIONS = new CopyOnWriteArrayList<>();
  private static volatile boolean installed;

  private LoopGuard() {}

  static synchronized void installIfEnabled() {
    if (installed || !Boolean.getBoolean("tpp.blockhound")) {
      return;
    }
    BlockHound.builder()
        .nonBlockingThreadPredicate(p -> p.or(t -> t.getName().startsWith("tpp-worker")))
        .allowBlockingCallsInside("org.slf4j.simple.SimpleLogger", "write")
        .allowBlockingCallsInside("org.slf4j.simple.OutputChoice", "getTargetPrintStream")
        .blockingMethodCallback(m -> {
          VIOLATIONS.add(Thread.currentThread().getName() + ": " + m);
          throw new Error("blocking call on an event loop: " + m);
        })
        .install();
    installed = true;
  }

  /** Forgets earlier violations (each test proxy reports its own). */
  static void reset() {
    VIOLATIONS.clear();
  }

  /** Blocking calls seen on worker loops since start (empty when BlockHound is not installed). */
  public static List<String> violations() {
    return List.copyOf(VIOLATIONS);
  }
}
