package dev.tpp.operator.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  static final AutoscalePolicy POLICY =
      new AutoscalePolicy(
          true,
          AutoscalingSpec.Mode.Operator,
          2,
          10,
          Duration.ofMillis(20),
          Duration.ofMinutes(5),
          Duration.ofSeconds(15));

  @ParameterizedTest(name = "{0}: {1} replicas at p99s [{2}] ms -> {3} ({4})")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
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
    List<Double> values =
        p99s == null
            ? List.of()
            : Arrays.stream(p99s.trim().split("\\s+"))
                .map(v -> Double.parseDouble(v) / 1000)
                .toList();
    var decision =
        ScaleDecider.decide(
            current,
            values,
            POLICY,
            NOW,
            List.of(new Recommendation(NOW.minusSeconds(60), current)));
    assertEquals(expected, decision.replicas(), decision.message());
    assertEquals(reason, decision.reason());
  }

  @Test
  void scalesDownToTheHighestRecommendationOfTheWindow() {
    List<Recommendation> history =
        List.of(
            new Recommendation(
                NOW.minus(Duration.ofMinutes(6)), 9), // outside the window: forgotten
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

  static final AutoscalePolicy TWO_SIGNALS =
      new AutoscalePolicy(
          true,
          AutoscalingSpec.Mode.Operator,
          2,
          10,
          Duration.ofMillis(20),
          Duration.ofMinutes(5),
          Duration.ofSeconds(15),
          Duration.ofMillis(50));

  @ParameterizedTest(name = "{0}: block [{2}] ms, pool wait [{3}] ms -> {4} by {5}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      loops protected, pools saturated   | 4 | 2 2     | 200 200 | 10 | poolWaitP99 | ScaledUp
      block time larger ratio            | 4 | 40 40   | 60 60   | 8  | blockP99    | ScaledUp
      pool wait decides a hold           | 4 | 2       | 52      | 4  | poolWaitP99 | WithinTolerance
      only pool wait data                | 4 |         | 100     | 8  | poolWaitP99 | ScaledUp
      idle pools leave block time        | 4 | 21      | 0       | 4  | blockP99    | WithinTolerance
      """)
  void decidesOnTheLargerOfBlockTimeAndPoolWait(
      String what,
      int current,
      String block,
      String wait,
      int expected,
      String signal,
      String reason) {
    var decision =
        ScaleDecider.decide(
            current,
            millis(block),
            millis(wait),
            TWO_SIGNALS,
            NOW,
            List.of(new Recommendation(NOW.minusSeconds(60), current)));
    assertEquals(expected, decision.replicas(), decision.message());
    assertEquals(reason, decision.reason());
    assertEquals(signal, decision.signal());
    assertTrue(decision.message().contains("decided by " + signal), decision.message());
  }

  @Test
  void poolWaitIsIgnoredWithoutItsTarget() {
    var decision = ScaleDecider.decide(4, List.of(0.020), List.of(1.0), POLICY, NOW, List.of());
    assertEquals(4, decision.replicas(), decision.message());
    assertEquals("blockP99", decision.signal());
    assertEquals("p99 20ms vs target 20ms over 1 pod(s); holding 4", decision.message());
  }

  private static List<Double> millis(String values) {
    return values == null
        ? List.of()
        : Arrays.stream(values.trim().split("\\s+"))
            .map(v -> Double.parseDouble(v) / 1000)
            .toList();
  }
}
