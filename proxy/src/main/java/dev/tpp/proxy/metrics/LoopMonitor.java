package dev.tpp.proxy.metrics;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.ThreadAwareExecutor;
import java.util.function.IntFunction;

/**
 * Measures how long an event loop stays busy between waits — Cloudflare's {@code
 * event_loop_blocked}: anything that became ready while the loop was busy waited at most that long.
 * It wraps the transport's {@link IoHandler}: the loop calls {@link #run} once per turn, waits
 * inside it (epoll_wait) and reports the I/O time after the wait through {@link
 * IoHandlerContext#reportActiveIoTime}; tasks run between two calls. A busy stretch therefore
 * starts at the end of a wait (exit minus reported I/O time) and ends when the loop next enters
 * {@code run} ready to block.
 *
 * <p>Only the loop's own thread calls {@code run}; the fields need no synchronisation.
 */
public final class LoopMonitor implements IoHandler {
  private final IoHandler delegate;
  private final WorkerMetrics metrics;
  private final ReportingContext reporting = new ReportingContext();
  private long stretchStart = -1;

  private LoopMonitor(IoHandler delegate, WorkerMetrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
  }

  /**
   * Wraps every handler {@code factory} makes; the n-th loop created gets {@code
   * metricsOf.apply(n)}.
   */
  public static IoHandlerFactory wrap(
      IoHandlerFactory factory, IntFunction<WorkerMetrics> metricsOf) {
    int[] next = {0};
    return new IoHandlerFactory() {
      @Override
      public IoHandler newHandler(ThreadAwareExecutor executor) {
        // Loops of one group are created one after another in the group's constructor, in child
        // order.
        synchronized (next) {
          return new LoopMonitor(factory.newHandler(executor), metricsOf.apply(next[0]++));
        }
      }

      @Override
      public boolean isChangingThreadSupported() {
        return factory.isChangingThreadSupported();
      }
    };
  }

  @Override
  public int run(IoHandlerContext context) {
    long entry = System.nanoTime();
    if (stretchStart >= 0 && context.canBlock()) {
      // The loop has nothing queued and may now wait: the busy stretch ends here.
      metrics.busyStretch(entry - stretchStart);
      stretchStart = -1;
    }
    reporting.inner = context;
    reporting.activeNanos = 0;
    int handled = delegate.run(reporting);
    if (stretchStart < 0) {
      stretchStart = System.nanoTime() - reporting.activeNanos;
    }
    return handled;
  }

  @Override
  public void initialize() {
    delegate.initialize();
  }

  @Override
  public void prepareToDestroy() {
    delegate.prepareToDestroy();
  }

  @Override
  public void destroy() {
    delegate.destroy();
  }

  @Override
  public IoRegistration register(IoHandle handle) throws Exception {
    return delegate.register(handle);
  }

  @Override
  public void wakeup() {
    delegate.wakeup();
  }

  @Override
  public boolean isCompatible(Class<? extends IoHandle> handleType) {
    return delegate.isCompatible(handleType);
  }

  /**
   * Passes the loop's context through and captures the I/O time the transport reports after its
   * wait.
   */
  private static final class ReportingContext implements IoHandlerContext {
    @SuppressWarnings("NullAway.Init") // set before each run, which is the only caller
    IoHandlerContext inner;

    long activeNanos;

    @Override
    public boolean canBlock() {
      return inner.canBlock();
    }

    @Override
    public long delayNanos(long currentTimeNanos) {
      return inner.delayNanos(currentTimeNanos);
    }

    @Override
    public long deadlineNanos() {
      return inner.deadlineNanos();
    }

    @Override
    public boolean shouldReportActiveIoTime() {
      return true;
    }

    @Override
    public void reportActiveIoTime(long activeNanos) {
      this.activeNanos += activeNanos;
      if (inner.shouldReportActiveIoTime()) {
        inner.reportActiveIoTime(activeNanos);
      }
    }
  }
}
