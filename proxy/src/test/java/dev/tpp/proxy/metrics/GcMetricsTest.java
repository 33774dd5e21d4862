package dev.tpp.proxy.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.testing.Await;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * The GC meters tpp makes itself keep Micrometer's names and tags: a collection shows in {@code
 * jvm.gc.pause} with its collector, action and cause, allocation in {@code
 * jvm.gc.memory.allocated}, the long-lived pool in the data-size gauges.
 */
class GcMetricsTest {
  @Test
  void recordsACollectionWithItsCauseAndCountsAllocation() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (GcMetrics gc = new GcMetrics(registry)) {
      double allocatedBefore = registry.get("jvm.gc.memory.allocated").functionCounter().count();
      byte[][] garbage = new byte[64][];
      for (int i = 0; i < garbage.length; i++) {
        garbage[i] = new byte[64 * 1024];
      }
      assertEquals(64, garbage.length);
      System.gc();
      Await.until(
          "the explicit collection is recorded",
          () -> registry.find("jvm.gc.pause").tag("cause", "System.gc()").timer() != null);
      Timer pause = registry.get("jvm.gc.pause").tag("cause", "System.gc()").timer();
      assertTrue(pause.count() >= 1, "counted");
      assertTrue(!pause.getId().getTag("gc").isEmpty(), "names its collector");
      assertTrue(pause.getId().getTag("action").startsWith("end of"), "names its action");
      double allocatedAfter = registry.get("jvm.gc.memory.allocated").functionCounter().count();
      assertTrue(
          allocatedAfter - allocatedBefore >= 64 * 64 * 1024,
          "allocation counted: " + (allocatedAfter - allocatedBefore));
      assertTrue(registry.get("jvm.gc.max.data.size").gauge().value() > 0, "max data size");
      assertTrue(registry.get("jvm.gc.live.data.size").gauge().value() >= 0, "live data size");
    }
  }
}
