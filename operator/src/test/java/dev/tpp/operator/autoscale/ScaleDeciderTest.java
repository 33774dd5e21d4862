package dev.tpp.operator.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tpp.crds.AutoscalingSpec;
import dev.tpp.operator.autoscale.ScaleDecider.Recommendation;
import dev.tpp.operator.model.AutoscalePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScaleDeciderTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
  static final AutoscalePolicy POLICY = new AutoscalePolicy(true, AutoscalingSpec.Mode.Operator, 2, 10,
      Duration.ofMillis(20), Duration.ofMinutes(5), Duration.ofSeconds(15));

  @ParameterizedTest(name = "{0}: {1} replicas at p99s [{2}] ms -> {3} ({4})")
  @CsvSource(delimiter = '|', textBlock = """
      double load scales up at once      | 4  | 40 40 40 40 | 8  | ScaledUp
      mean, not max, drives the ratio    | 4  | 10 50       | 6  | ScaledUp
      within 10% holds                   | 4  | 21.9        | 4  | WithinTolerance
      just past tolerance moves          | 4  | 22.1        | 5  | ScaledUp
      clamped to max                     | 8  | 200         | 10 | ScaledUp
      low load holds during the window   | 6  | 5           | 6  | Stabilizing
      no metrics changes nothing         | 5  |             | 5  | NoMetrics
      below min is raised                | 1  | 1           | 2  | OutOfRange
      above max is lowered               | 12 | 100         | 10 | OutOfRange
      """)
  void decides(String what, int current, String p99s, int expected, String reason) {
    List<Double> values = p99s == null ? List.of()
        : Arrays.stream(p99s.trim().split("\\s+")).map(v -> Double.parseDouble(v) / 1000).toList();
    var decision = ScaleDecider.decide(current, values, POLICY, NOW, List.of(new Recommendation(NOW.minusSeconds(60),
        current)));
    assertEquals(expected, decision.replicas(), decision.message());
    assertEquals(reason, decision.reason());
  }

  @Test
  void scalesDownToTheHighestRecommendationOfTheWindow() {
    List<Recommendation> history = List.of(
        new Recommendation(NOW.minus(Duration.ofMinutes(6)), 9), // outside the window: forgotten
        new Recommendation(NOW.minus(Duration.ofMinutes(4)), 5),
        new Recommendation(NOW.minus(Duration.ofMinutes(1)), 3));
    var decision = ScaleDecider.decide(8, List.of(0.005), POLICY, NOW, history);
    assertEquals(5, decision.replicas());
    assertEquals("ScaledDown", decision.reason());
    assertEquals(3, decision.history().size());
  }

  @Test
  void scalesDownFullyOnceTheWindowHasPassed() {
    var history = List.of(new Recommendation(NOW.minus(Duration.ofMinutes(5)).minusSeconds(1), 8));
    var decision = ScaleDecider.decide(8, List.of(0.005), POLICY, NOW, history);
    assertEquals(2, decision.replicas());
  }
}
