package dev.tpp.proxy.clock;

import io.micrometer.core.instrument.Clock;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer's clock for the proxy's registry. Each recorded duration made Micrometer read the wall
 * clock twice (to rotate the time windows of the maximum and of the histogram): on an event loop
 * this reads the {@link LoopClock} instead. Micrometer's Prometheus meters use the wall time only
 * to tell when a window is due to rotate, so it is kept on the monotonic clock, offset to the wall
 * clock once: every thread agrees on it, and a step of the system clock does not stall or rush the
 * windows. {@link #monotonicTime()} is exact ({@link System#nanoTime()}). Thread-safe.
 */
public final class MeterClock implements Clock {
  private final long wallBaseMillis = System.currentTimeMillis();
  private final long nanoBase = System.nanoTime();

  @Override
  public long wallTime() {
    @Nullable LoopClock loop = LoopClock.current();
    long nanos = loop != null ? loop.nanoTime() : System.nanoTime();
    return wallBaseMillis + TimeUnit.NANOSECONDS.toMillis(nanos - nanoBase);
  }

  @Override
  public long monotonicTime() {
    return System.nanoTime();
  }
}
