package dev.tpp.proxy.metrics;

import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import java.lang.management.ManagementFactory;

/**
 * Micrometer's JVM and process binders on the proxy's registry: GC pauses ({@code
 * jvm_gc_pause_seconds}), heap and non-heap use ({@code jvm_memory_*}), threads ({@code
 * jvm_threads_*}), CPU ({@code process_cpu_usage}, {@code process_cpu_seconds_total}, {@code
 * system_cpu_usage}), open files ({@code process_files_*}) and uptime. A GC pause stalls every
 * event loop, so it belongs beside {@code tpp_event_loop_block_seconds}. Created and closed by the
 * thread that owns the {@link ProxyMetrics}; the GC binder listens to GC notifications on a JMX
 * thread until {@link #close}.
 */
final class RuntimeMetrics implements AutoCloseable {
  private final JvmGcMetrics gc = new JvmGcMetrics();

  RuntimeMetrics(MeterRegistry registry) {
    // Two ProcessorMetrics names break Prometheus naming (promtool: "_ns" is an abbreviated unit,
    // "_count" on a
    // gauge): drop them and export the CPU time as process_cpu_seconds_total, the name Prometheus
    // clients use.
    registry
        .config()
        .meterFilter(
            MeterFilter.deny(
                id ->
                    id.getName().equals("process.cpu.time")
                        || id.getName().equals("system.cpu.count")));
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9)
          .baseUnit("seconds")
          .description("CPU time the proxy process used, all threads")
          .register(registry);
    }
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Stops listening to GC notifications (a proxy stopped in a JVM that goes on, as in tests). */
  @Override
  public void close() {
    gc.close();
  }
}
