package dev.tpp.proxy.metrics;

import com.sun.management.ThreadMXBean;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer's {@code jvm_gc_*} meters under their usual names, made so that a collection costs the
 * server's CPU as little as possible after its pause. Micrometer's {@code JvmGcMetrics} parses
 * every GC notification whole ({@code GarbageCollectionNotificationInfo.from}, every memory pool
 * before and after) and looks its timer up by building tags; it runs once per collection, so in the
 * interpreter: about 0.7 ms on the JVM's {@code Notification Thread}, on the one CPU the proxy had
 * in {@code make stalls}, right after the pause had already stopped every event loop. Here the
 * listener reads four fields of the notification and records into a timer it found once; the
 * allocation and data-size meters are read when {@code /metrics} is scraped instead. The listener
 * runs on the JVM's notification thread; {@link #close} may run on any.
 *
 * <p>{@code jvm_gc_pause_seconds} ({@code gc}, {@code action}, {@code cause}) and {@code
 * jvm_gc_concurrent_phase_time_seconds} as Micrometer makes them; {@code
 * jvm_gc_memory_allocated_bytes_total} from the threads' allocation counters; {@code
 * jvm_gc_live_data_size_bytes} and {@code jvm_gc_max_data_size_bytes} from the long-lived pool.
 * Micrometer's {@code jvm_gc_memory_promoted_bytes_total} is not made: it needs both pools' sizes
 * from every notification.
 */
final class GcMetrics implements NotificationListener, AutoCloseable {
  private static final String NOTIFICATION = "com.sun.management.gc.notification";

  private record Key(String gc, String action, String cause) {}

  private final MeterRegistry registry;
  private final Map<Key, Timer> timers = new ConcurrentHashMap<>();
  private final List<NotificationEmitter> emitters = new ArrayList<>();

  GcMetrics(MeterRegistry registry) {
    this.registry = registry;
    if (ManagementFactory.getThreadMXBean() instanceof ThreadMXBean threads
        && threads.isThreadAllocatedMemorySupported()) {
      FunctionCounter.builder(
              "jvm.gc.memory.allocated",
              threads,
              t -> Math.max(0, t.getTotalThreadAllocatedBytes()))
          .baseUnit("bytes")
          .description("Bytes the JVM's threads allocated in the heap since it started")
          .register(registry);
    }
    MemoryPoolMXBean longLived = longLivedPool();
    if (longLived != null) {
      Gauge.builder("jvm.gc.live.data.size", longLived, p -> used(p.getCollectionUsage()))
          .baseUnit("bytes")
          .description("Size of the long-lived heap pool after its last collection")
          .register(registry);
      Gauge.builder("jvm.gc.max.data.size", longLived, p -> max(p.getUsage()))
          .baseUnit("bytes")
          .description("Max size of the long-lived heap pool")
          .register(registry);
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(this, n -> NOTIFICATION.equals(n.getType()), null);
        emitters.add(emitter);
      }
    }
  }

  @Override
  public void handleNotification(Notification notification, Object handback) {
    if (!(notification.getUserData() instanceof CompositeData data)
        || !(data.get("gcInfo") instanceof CompositeData info)) {
      return;
    }
    Key key =
        new Key(
            (String) data.get("gcName"),
            (String) data.get("gcAction"),
            (String) data.get("gcCause"));
    long millis = (Long) info.get("duration");
    timers.computeIfAbsent(key, this::timer).record(millis, TimeUnit.MILLISECONDS);
  }

  private Timer timer(Key key) {
    boolean concurrent = isConcurrentPhase(key.cause(), key.gc());
    return Timer.builder(concurrent ? "jvm.gc.concurrent.phase.time" : "jvm.gc.pause")
        .tags("gc", key.gc(), "action", key.action(), "cause", key.cause())
        .description(concurrent ? "Time spent in concurrent phase" : "Time spent in GC pause")
        .register(registry);
  }

  /** As Micrometer tells a concurrent collector's cycle from a pause. */
  private static boolean isConcurrentPhase(String cause, String name) {
    return "No GC".equals(cause)
        || "Shenandoah Cycles".equals(name)
        || "ZGC Cycles".equals(name)
        || (name.startsWith("ZGC") && name.endsWith("Cycles"))
        || (name.startsWith("GPGC") && !name.endsWith("Pauses"));
  }

  private static @Nullable MemoryPoolMXBean longLivedPool() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      String name = pool.getName();
      if (name.endsWith("Old Gen")
          || name.endsWith("Tenured Gen")
          || "Shenandoah".equals(name)
          || "ZHeap".equals(name)
          || "ZGC Old Generation".equals(name)
          || name.endsWith("balanced-old")
          || name.contains("tenured")) {
        return pool;
      }
    }
    return null;
  }

  private static double used(@Nullable MemoryUsage usage) {
    return usage == null ? Double.NaN : usage.getUsed();
  }

  private static double max(@Nullable MemoryUsage usage) {
    return usage == null ? Double.NaN : usage.getMax();
  }

  /** Stops listening (a proxy stopped in a JVM that goes on, as in tests). */
  @Override
  public void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(this);
      } catch (ListenerNotFoundException e) {
        // already gone: nothing to stop
      }
    }
    emitters.clear();
  }
}
