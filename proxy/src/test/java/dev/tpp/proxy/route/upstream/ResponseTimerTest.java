package dev.tpp.proxy.route.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** On an {@link EmbeddedChannel}'s loop with frozen time, so "300 ms later" costs nothing. */
class ResponseTimerTest {
  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final AtomicInteger fired = new AtomicInteger();
  private ResponseTimer timer;

  @BeforeEach
  void freeze() {
    channel.freezeTime();
    timer = new ResponseTimer(channel.eventLoop(), Duration.ofMillis(300), fired::incrementAndGet);
  }

  private void advanceMillis(long ms) {
    channel.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
  }

  @Test
  void firesOnceWhenTheOriginStaysSilent() {
    timer.waiting();
    advanceMillis(299);
    assertEquals(0, fired.get());
    advanceMillis(1);
    advanceMillis(1000);
    assertEquals(1, fired.get());
  }

  @Test
  void aWaitThatStartedLaterGetsItsFullTime() {
    timer.waiting();
    advanceMillis(200);
    timer.notWaiting(); // the origin spoke
    timer.waiting(); // and the next read starts a new wait
    advanceMillis(200);
    assertEquals(0, fired.get());
    advanceMillis(100);
    assertEquals(1, fired.get());
  }

  @Test
  void neverFiresWhileTheProxyIsNotWaiting() {
    timer.waiting();
    timer.notWaiting(); // a slow client: nothing is asked of the origin
    advanceMillis(5000);
    assertEquals(0, fired.get());
    timer.waiting();
    timer.stop();
    advanceMillis(5000);
    assertEquals(0, fired.get());
  }

  @Test
  void theNextCallOnTheConnectionGetsItsOwnFullTimeAndNoStaleFiring() {
    AtomicInteger next = new AtomicInteger();
    timer.waiting();
    advanceMillis(250);
    timer.stop(); // the first call ended; its check stays scheduled for the connection
    timer.attach(Duration.ofMillis(300), next::incrementAndGet);
    timer.waiting();
    advanceMillis(100); // the first call's check runs here and only sleeps again
    assertEquals(0, fired.get() + next.get());
    advanceMillis(199);
    assertEquals(0, next.get());
    advanceMillis(1);
    assertEquals(1, next.get());
    assertEquals(0, fired.get());
  }

  @Test
  void aShorterTimeoutForTheNextCallIsStillKept() {
    AtomicInteger next = new AtomicInteger();
    timer.waiting();
    timer.stop();
    timer.attach(Duration.ofMillis(50), next::incrementAndGet); // a reload made the timeout shorter
    timer.waiting();
    advanceMillis(50);
    assertEquals(1, next.get());
  }
}
