package dev.tpp.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.route.Router;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reference counts of generations, and actions that wait until every generation up to one has been
 * released. The loop here runs what it is given at once ({@link ImmediateEventExecutor}); {@link
 * LoopReferencesTest} has several real loops.
 */
class GenerationTrackerTest {
  private static final ImmediateEventExecutor LOOP = ImmediateEventExecutor.INSTANCE;
  private final GenerationTracker tracker = new GenerationTracker();
  private final List<String> ran = new ArrayList<>();

  private Generation published() {
    Generation g = new Generation(null, "h", Instant.EPOCH, new Router(List.of()));
    tracker.published(g);
    return g;
  }

  private void retire(Generation g) {
    g.retire(
        () -> {
          ran.add("released " + g.seq());
          tracker.released(g);
        });
  }

  @Test
  void generationIsReleasedWhenTheServerAndItsLastExchangeLetGo() {
    Generation g = published();
    LoopReferences.Count exchange = g.tryAcquire(LOOP);
    assertNotNull(exchange, "an exchange takes it");
    retire(g);
    assertTrue(ran.isEmpty(), "the exchange still holds it");
    exchange.release();
    assertEquals(List.of("released " + g.seq()), ran);
    assertNull(
        g.tryAcquire(LOOP),
        "a released generation cannot be taken again (the dispatcher re-reads)");
  }

  @Test
  void actionWaitsForEveryGenerationUpToTheOneGiven() {
    Generation first = published();
    Generation second = published();
    LoopReferences.Count longExchange = first.tryAcquire(LOOP);
    Generation third = published();
    tracker.whenReleasedThrough(second, () -> ran.add("pool retired"));
    retire(second);
    assertEquals(List.of("released " + second.seq()), ran, "the first generation may still submit");
    retire(first);
    assertEquals(1, ran.size(), "its exchange is still running");
    longExchange.release();
    assertEquals(
        List.of("released " + second.seq(), "released " + first.seq(), "pool retired"), ran);
    retire(third);
    assertEquals(1, ran.stream().filter("pool retired"::equals).count(), "ran once");
  }

  @Test
  void actionRunsAtOnceWhenNothingOlderIsInUse() {
    Generation g = published();
    retire(g);
    tracker.whenReleasedThrough(g, () -> ran.add("now"));
    assertEquals(List.of("released " + g.seq(), "now"), ran);
  }
}
