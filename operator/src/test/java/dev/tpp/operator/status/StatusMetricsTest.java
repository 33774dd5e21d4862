package dev.tpp.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.crds.ThreadPoolProxyStatus;
import dev.tpp.operator.autoscale.ScaleDecider;
import dev.tpp.operator.model.Fixtures;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final StatusMetrics metrics = new StatusMetrics(registry);

  static ThreadPoolProxy web(
      int specReplicas, Integer desired, int ready, String blockP99, String onHash) {
    ThreadPoolProxy tpp = Fixtures.proxy("web", "shop", "replicas: " + specReplicas);
    ThreadPoolProxyStatus s = new ThreadPoolProxyStatus();
    s.desiredReplicas = desired;
    s.readyReplicas = ready;
    s.blockP99 = blockP99;
    s.podsOnConfigHash = onHash;
    tpp.setStatus(s);
    return tpp;
  }

  Gauge gauge(String name, String... tags) {
    return registry.find(name).tags("namespace", "shop", "name", "web").tags(tags).gauge();
  }

  @Test
  void publishesReplicasByKindBlockP99AndConfigHashRatio() {
    metrics.record(web(3, 5, 2, ScaleDecider.format(0.012345), "2/3"));

    assertEquals(3, gauge(StatusMetrics.REPLICAS, "kind", "spec").value());
    assertEquals(5, gauge(StatusMetrics.REPLICAS, "kind", "desired").value());
    assertEquals(2, gauge(StatusMetrics.REPLICAS, "kind", "ready").value());
    assertEquals(0.012345, gauge(StatusMetrics.BLOCK_P99).value(), 1e-12);
    assertEquals("seconds", gauge(StatusMetrics.BLOCK_P99).getId().getBaseUnit());
    assertEquals(2.0 / 3, gauge(StatusMetrics.PODS_ON_CONFIG_HASH).value(), 1e-12);
  }

  @Test
  void eachReconcileOverwritesTheSameGauges() {
    metrics.record(web(3, 5, 2, "20ms", "2/3"));
    metrics.record(web(7, 7, 7, "1ms500us", "7/7"));

    assertEquals(3, registry.find(StatusMetrics.REPLICAS).gauges().size());
    assertEquals(7, gauge(StatusMetrics.REPLICAS, "kind", "desired").value());
    assertEquals(0.0015, gauge(StatusMetrics.BLOCK_P99).value(), 1e-12);
    assertEquals(1.0, gauge(StatusMetrics.PODS_ON_CONFIG_HASH).value());
  }

  @Test
  void valuesTheStatusDoesNotHaveAreNaN() {
    metrics.record(web(1, null, 0, null, "0/0"));

    assertTrue(Double.isNaN(gauge(StatusMetrics.REPLICAS, "kind", "desired").value()));
    assertTrue(Double.isNaN(gauge(StatusMetrics.BLOCK_P99).value()));
    assertTrue(Double.isNaN(gauge(StatusMetrics.PODS_ON_CONFIG_HASH).value()));
  }

  @Test
  void removesTheGaugesOfResourcesThatAreGone() {
    metrics.record(web(3, 3, 3, "1ms", "3/3"));
    ThreadPoolProxy other = Fixtures.proxy("api", "shop", "");
    metrics.record(other);

    metrics.retainOnly(Set.of(StatusMetrics.Key.of(other)));

    assertNull(gauge(StatusMetrics.REPLICAS, "kind", "spec"));
    assertNull(gauge(StatusMetrics.BLOCK_P99));
    assertEquals(3, registry.find(StatusMetrics.REPLICAS).tags("name", "api").gauges().size());
    metrics.record(web(4, 4, 4, "1ms", "4/4"));
    assertEquals(4, gauge(StatusMetrics.REPLICAS, "kind", "spec").value());
  }

  @ParameterizedTest
  @CsvSource({"3/3, 1.0", "0/4, 0.0", "1/4, 0.25", "0/0, NaN", "x/3, NaN", "3, NaN"})
  void podsOnConfigHashRatio(String fraction, double expected) {
    assertEquals(expected, StatusMetrics.ratio(fraction));
  }

  @ParameterizedTest
  @CsvSource({"12ms345us, 0.012345", "1s, 1.0", "0s, 0.0", "soon, NaN"})
  void blockP99Seconds(String duration, double expected) {
    assertEquals(expected, StatusMetrics.seconds(duration), 1e-12);
  }
}
