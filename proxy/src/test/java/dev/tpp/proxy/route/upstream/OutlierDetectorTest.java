package dev.tpp.proxy.route.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.UpstreamConfig.OutlierDetection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutlierDetectorTest {
  private final List<Duration> delays = new ArrayList<>();
  private final List<Runnable> timers = new ArrayList<>();
  private final OutlierDetector.Timer timer =
      (task, delay) -> {
        timers.add(task);
        delays.add(delay);
      };
  private final Counter ejections = new SimpleMeterRegistry().counter("ejections");
  private long now = 1_000_000_000L;

  private OutlierDetector detector(List<UpstreamEndpoint> all, OutlierDetection config) {
    EndpointSet set = EndpointSet.of(all, false);
    return new OutlierDetector("backend", config, () -> set, ejections, () -> now);
  }

  private static OutlierDetection config(int errors, int percent) {
    return new OutlierDetection(errors, Duration.ofSeconds(10), percent);
  }

  private void errors(OutlierDetector d, UpstreamEndpoint e, int n) {
    for (int i = 0; i < n; i++) {
      d.error(e, "status_503", timer);
    }
  }

  @Test
  void ejectsAfterConsecutiveErrorsOnly() {
    List<UpstreamEndpoint> all = BalancerTest.endpoints(2);
    OutlierDetector d = detector(all, config(3, 50));
    errors(d, all.get(0), 2);
    d.success(all.get(0));
    errors(d, all.get(0), 2);
    assertFalse(all.get(0).ejected(), "a success in between starts the count again");
    errors(d, all.get(0), 1);
    assertTrue(all.get(0).ejected());
    assertEquals(1.0, ejections.count());
    assertEquals(List.of(Duration.ofSeconds(10)), delays);
  }

  @Test
  void comesBackOnItsOwnWhenTheTimerFires() {
    List<UpstreamEndpoint> all = BalancerTest.endpoints(2);
    OutlierDetector d = detector(all, config(1, 50));
    errors(d, all.get(1), 1);
    assertEquals(1, d.ejectedCount());
    timers.get(0).run();
    assertFalse(all.get(1).ejected());
    assertEquals(0, d.ejectedCount());
    timers.get(0).run(); // a late duplicate changes nothing
    assertEquals(0, d.ejectedCount());
  }

  @Test
  void neverEjectsMoreThanTheShare() {
    List<UpstreamEndpoint> all = BalancerTest.endpoints(5);
    OutlierDetector d = detector(all, config(1, 50));
    all.forEach(e -> errors(d, e, 3));
    assertEquals(
        2, all.stream().filter(UpstreamEndpoint::ejected).count(), "50% of 5, rounded down");
    assertEquals(2.0, ejections.count());
    List<UpstreamEndpoint> one = BalancerTest.endpoints(1);
    OutlierDetector single = detector(one, config(1, 50));
    errors(single, one.get(0), 10);
    assertFalse(one.get(0).ejected(), "50% of one endpoint is none");
  }

  @Test
  void ejectsForLongerEachTimeAndForgivesWithTime() {
    List<UpstreamEndpoint> all = BalancerTest.endpoints(2);
    OutlierDetector d = detector(all, config(1, 50));
    UpstreamEndpoint e = all.get(0);
    errors(d, e, 1);
    timers.get(0).run();
    errors(d, e, 1);
    timers.get(1).run();
    errors(d, e, 1);
    assertEquals(
        List.of(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30)), delays);
    timers.get(2).run();
    now +=
        Duration.ofSeconds(25)
            .toNanos(); // two base periods back in service: two ejections forgiven
    errors(d, e, 1);
    assertEquals(Duration.ofSeconds(20), delays.get(3));
  }

  @Test
  void capsTheEjectionTimeAtFiveMinutes() {
    List<UpstreamEndpoint> all = BalancerTest.endpoints(2);
    OutlierDetector d = detector(all, new OutlierDetection(1, Duration.ofMinutes(2), 50));
    for (int i = 0; i < 4; i++) {
      errors(d, all.get(0), 1);
      timers.get(i).run();
    }
    assertEquals(
        List.of(
            Duration.ofMinutes(2),
            Duration.ofMinutes(4),
            Duration.ofMinutes(5),
            Duration.ofMinutes(5)),
        delays);
  }

  @Test
  void ejectsNothingWithoutConfig() {
    List<UpstreamEndpoint> all = BalancerTest.endpoints(2);
    OutlierDetector d = detector(all, null);
    errors(d, all.get(0), 100);
    assertFalse(all.get(0).ejected());
  }

  @Test
  void aRemovedEndpointFreesItsPlace() {
    List<UpstreamEndpoint> all = BalancerTest.endpoints(2);
    OutlierDetector d = detector(all, config(1, 50));
    errors(d, all.get(0), 1);
    d.removed(all.get(0));
    assertEquals(0, d.ejectedCount());
    errors(d, all.get(1), 1);
    assertTrue(all.get(1).ejected());
    timers.get(0).run(); // the removed endpoint's timer must not touch the count
    assertEquals(1, d.ejectedCount());
  }
}
