package dev.tpp.proxy.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.blockhound.BlockHound;

/**
 * Installs BlockHound for integration tests (system property {@code tpp.blockhound=true}, set by
 * failsafe): a blocking call on a worker loop ({@code tpp-worker-*}) or a TLS handshake loop
 * ({@code tpp-handshake-*}) is recorded and fails the test that made it. Logging to stderr is
 * allowed (one line per event is the deal we make with the loop), and so is a task a pool runs
 * inline ({@code overflow: inline}, {@code threads: 0}): that is configured, counted, and visible
 * as block time.
 */
public final class LoopGuard {
  private static final List<String> VIOLATIONS = new CopyOnWriteArrayList<>();
  private static volatile boolean installed;

  private LoopGuard() {}

  public static synchronized void installIfEnabled() {
    if (installed || !Boolean.getBoolean("tpp.blockhound")) {
      return;
    }
    // install(...) also applies the integrations on the class path, Netty's among them: it permits
    // the brief
    // hand-offs of Netty's own executors (GlobalEventExecutor.addTask and the like) that are not
    // blocking work.
    BlockHound.install(
        builder ->
            builder
                .nonBlockingThreadPredicate(
                    p ->
                        p.or(
                            t ->
                                t.getName().startsWith("tpp-worker")
                                    || t.getName().startsWith("tpp-handshake")))
                .allowBlockingCallsInside("org.slf4j.simple.SimpleLogger", "write")
                // The one sanctioned exception: overflow: inline / threads: 0 run the task on the
                // loop, counted as inlined.
                .allowBlockingCallsInside("dev.tpp.proxy.pool.OffloadPool", "runInline")
                .allowBlockingCallsInside("org.slf4j.simple.OutputChoice", "getTargetPrintStream")
                // Netty's adaptive allocator (4.2's default) takes a magazine's write lock when it
                // retires one; a loop may
                // wait for another loop's allocation to finish there. That is the allocator's own
                // short critical section,
                // not blocking work, and Netty's BlockHound integration does not list it yet. Seen
                // parking a test origin's
                // loop mid-download under CI load.
                .allowBlockingCallsInside(
                    "io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free")
                .allowBlockingCallsInside(
                    "io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "free")
                // io_uring's ring teardown, when a loop stops (after its last task): it spins until
                // no other thread is mid-wakeup on the ring's eventfd. The loop serves nothing
                // then.
                .allowBlockingCallsInside("io.netty.channel.uring.IoUringIoHandler", "destroy")
                .blockingMethodCallback(
                    m -> {
                      StringBuilder where = new StringBuilder();
                      int shown = 0;
                      for (StackTraceElement e : new Throwable().getStackTrace()) {
                        String c = e.getClassName();
                        boolean ours = c.startsWith("dev.tpp.") && !c.contains("LoopGuard");
                        boolean caller =
                            !c.startsWith("reactor.blockhound")
                                && !c.contains("LoopGuard")
                                && !c.startsWith("java.");
                        if (ours || (caller && shown < 8)) {
                          where.append(" <- ").append(e);
                          shown++;
                        }
                      }
                      VIOLATIONS.add(Thread.currentThread().getName() + ": " + m + where);
                      throw new Error("blocking call on an event loop: " + m);
                    }));
    installed = true;
  }

  /** Forgets earlier violations (each test proxy reports its own). */
  public static void reset() {
    VIOLATIONS.clear();
  }

  /** Blocking calls seen on worker loops since start (empty when BlockHound is not installed). */
  public static List<String> violations() {
    return List.copyOf(VIOLATIONS);
  }
}
