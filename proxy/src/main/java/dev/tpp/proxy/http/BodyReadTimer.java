package dev.tpp.proxy.http;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The request-body read timeout ({@code http.bodyTimeout}, nginx's {@code client_body_timeout}):
 * runs only while the proxy has asked for body bytes and none came, so a slow origin that stops the
 * proxy from reading never counts against the client. One per connection, its timeout set per
 * request (the config in force when the head came); one scheduled task at a time, re-armed for the
 * remainder rather than per chunk. Loop-only.
 */
public final class BodyReadTimer {
  private final EventExecutor loop;
  private long nanos;
  private final Runnable onExpiry;
  private long waitingSince; // 0 = not waiting for body bytes
  private @Nullable ScheduledFuture<?> check;

  public BodyReadTimer(EventExecutor loop, Runnable onExpiry) {
    this.loop = loop;
    this.onExpiry = onExpiry;
  }

  /** The body timeout of the request that starts now ({@code http.bodyTimeout}). */
  public void timeout(long nanos) {
    stop();
    this.nanos = nanos;
  }

  /** The proxy asked the client connection for more body. */
  public void waiting() {
    if (waitingSince == 0) {
      waitingSince = System.nanoTime();
    }
    if (check == null) {
      check = loop.schedule(this::check, nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Body bytes arrived: the clock stops until the next {@link #waiting}. */
  public void progressed() {
    waitingSince = 0;
  }

  /** The exchange or the connection ended. */
  public void stop() {
    waitingSince = 0;
    if (check != null) {
      check.cancel(false);
      check = null;
    }
  }

  private void check() {
    check = null;
    if (waitingSince == 0) {
      return;
    }
    long waited = System.nanoTime() - waitingSince;
    if (waited >= nanos) {
      waitingSince = 0;
      onExpiry.run();
    } else {
      check = loop.schedule(this::check, nanos - waited, TimeUnit.NANOSECONDS);
    }
  }
}
