package dev.tpp.proxy.route.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.testing.Metrics;
import dev.tpp.proxy.testing.TestProxy;
import org.junit.jupiter.api.function.Executable;

/**
 * Evidence that a route's work ran in its pool and not on an event loop, read from outside as an
 * operator would: the pool's {@code tpp_pool_tasks_total} grew by the expected number of completed
 * tasks, none was inlined, and a thread named {@code tpp-pool-NAME-N} (only the pool's own
 * ThreadFactory makes those) exists in this JVM.
 */
public final class PoolEvidence {
  private PoolEvidence() {}

  /**
   * Runs {@code requests} and asserts they cost exactly {@code tasks} completed tasks in {@code
   * pool}.
   */
  public static void assertRanInPool(TestProxy proxy, String pool, int tasks, Executable requests)
      throws Throwable {
    Metrics before = proxy.metrics();
    requests.execute();
    Metrics after = proxy.metrics();
    assertEquals(
        tasks,
        count(after, pool, "completed") - count(before, pool, "completed"),
        "completed pool tasks");
    assertEquals(0, count(after, pool, "inlined"), "tasks run on the event loop instead");
    assertTrue(
        Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().startsWith("tpp-pool-" + pool + "-")),
        "a tpp-pool-" + pool + " thread exists");
  }

  private static double count(Metrics m, String pool, String outcome) {
    return m.value("tpp_pool_tasks_total", "pool", pool, "outcome", outcome);
  }
}
