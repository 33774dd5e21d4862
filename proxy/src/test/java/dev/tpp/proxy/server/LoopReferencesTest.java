package dev.tpp.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A generation's exchanges counted per event loop, on real loops: retirement waits for every loop
 * that took the generation, each counted on its own thread, and lets no loop take it afterwards.
 */
class LoopReferencesTest {
  private final DefaultEventLoopGroup group = new DefaultEventLoopGroup(2);
  private final EventLoop a = group.next();
  private final EventLoop b = group.next();
  private final LoopReferences references = new LoopReferences();
  private final CompletableFuture<String> unused = new CompletableFuture<>();

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static <T> T on(EventLoop loop, Callable<T> task) throws Exception {
    return loop.submit(task).get(5, TimeUnit.SECONDS);
  }

  private static void run(EventLoop loop, Runnable task) throws Exception {
    loop.submit(task).get(5, TimeUnit.SECONDS);
  }

  private void retire() {
    references.retire(() -> unused.complete(Thread.currentThread().getName()));
  }

  @Test
  void waitsForTheLastExchangeOnEveryLoop() throws Exception {
    LoopReferences.Count onA = on(a, () -> references.tryAcquire(a));
    LoopReferences.Count onB = on(b, () -> references.tryAcquire(b));
    assertNotNull(on(b, () -> references.tryAcquire(b)), "a second exchange on b");
    retire();
    run(a, onA::release);
    run(b, onB::release); // queued after the retirement's question: b still has one exchange
    assertFalse(unused.isDone(), "b still has an exchange");
    run(b, onB::release);
    assertEquals(
        on(b, () -> Thread.currentThread().getName()),
        unused.get(5, TimeUnit.SECONDS),
        "the action ran on the loop that answered last");
  }

  @Test
  void runsAtOnceWhenNoLoopHasAnExchange() throws Exception {
    LoopReferences.Count onA = on(a, () -> references.tryAcquire(a));
    run(a, onA::release);
    retire();
    assertNotNull(unused.get(5, TimeUnit.SECONDS));
  }

  @Test
  void noLoopTakesItOnceRetired() throws Exception {
    LoopReferences.Count onA = on(a, () -> references.tryAcquire(a));
    retire();
    assertNull(on(a, () -> references.tryAcquire(a)), "the loop that held it");
    assertNull(on(b, () -> references.tryAcquire(b)), "a loop that never held it");
    run(a, onA::release);
    assertNotNull(unused.get(5, TimeUnit.SECONDS));
  }

  @Test
  void aStoppedLoopCountsAsAnswered() throws Exception {
    DefaultEventLoopGroup other = new DefaultEventLoopGroup(1);
    EventLoop gone = other.next();
    LoopReferences.Count count = on(gone, () -> references.tryAcquire(gone));
    run(gone, count::release);
    other.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    retire();
    assertNotNull(unused.get(5, TimeUnit.SECONDS));
  }

  @Test
  void aLoopThatStopsAnswersByStopping() throws Exception {
    DefaultEventLoopGroup other = new DefaultEventLoopGroup(1);
    EventLoop stopping = other.next();
    assertNotNull(on(stopping, () -> references.tryAcquire(stopping)));
    retire();
    run(stopping, () -> {}); // asked, and still has its exchange
    assertFalse(unused.isDone());
    other.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    assertNotNull(unused.get(5, TimeUnit.SECONDS), "its connections are gone with it");
  }

  @Test
  void releasingMoreThanTakenIsAnError() throws Exception {
    LoopReferences.Count onA = on(a, () -> references.tryAcquire(a));
    run(a, onA::release);
    ExecutionException e = assertThrows(ExecutionException.class, () -> run(a, onA::release));
    assertInstanceOf(IllegalStateException.class, e.getCause());
  }
}
