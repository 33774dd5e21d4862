package dev.tpp.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.route.Router;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reference counts of generations, and actions that wait until every generation up to one has been
 * released.
 */
class GenerationTrackerTest {
  private final GenerationTracker tracker = new GenerationTracker();
  private final List<String> ran = new ArrayList<>();

  private Generation published() {
    Generation g = new Generation(null, "h", Instant.EPOCH, new Router(List.of()), null);
    tracker.published(g);
    return g;
  }

  private void retire(Generation g) {
    g.retire(() -> tracker.released(g));
  }

  @Test
  void generationIsReleasedWhenTheServerAndItsLastExchangeLetGo() {
    Generation g = published();
    assertTrue(g.tryAcquire(), "an exchange takes it");
    retire(g);
    assertEquals(1, g.references(), "the exchange still holds it");
    g.release();
    assertEquals(0, g.references());
    assertFalse(
        g.tryAcquire(), "a released generation cannot be taken again (the dispatcher re-reads)");
  }

  @Test
  void actionWaitsForEveryGenerationUpToTheOneGiven() {
    Generation first = published();
    Generation second = published();
    assertTrue(first.tryAcquire()); // a long exchange on the first generation
    Generation third = published();
    tracker.whenReleasedThrough(second, () -> ran.add("pool retired"));
    retire(second);
    assertTrue(ran.isEmpty(), "the first generation may still submit to the pool");
    retire(first);
    assertTrue(ran.isEmpty(), "its exchange is still running");
    first.release();
    assertEquals(List.of("pool retired"), ran);
    retire(third);
    assertEquals(1, ran.size(), "ran once");
  }

  @Test
  void actionRunsAtOnceWhenNothingOlderIsInUse() {
    Generation g = published();
    retire(g);
    tracker.whenReleasedThrough(g, () -> ran.add("now"));
    assertEquals(List.of("now"), ran);
  }
}
