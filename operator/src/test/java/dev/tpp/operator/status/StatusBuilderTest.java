package dev.tpp.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.model.AutoscalePolicy;
import dev.tpp.operator.model.Fixtures;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusBuilderTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  static Condition condition(ThreadPoolProxy tpp, Observation o, String type) {
    return StatusBuilder.build(tpp, o, NOW).conditions.stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  static final AutoscalePolicy OFF = AutoscalePolicy.of(Fixtures.proxy("x", "ns", ""));

  static Observation observation(
      List<String> errors, String hash, int desired, int ready, int readyPods, int onHash) {
    return new Observation(
        errors, hash, desired, desired, ready, readyPods, onHash, OFF, Optional.empty());
  }

  @ParameterizedTest(name = "{5}")
  @CsvSource({
    "abc, 3, 3, 3, 3, AllPodsReady",
    "abc, 3, 2, 2, 2, PodsNotReady",
    "abc, 3, 3, 3, 1, ConfigPending",
    "   , 0, 0, 0, 0, NoValidConfig",
  })
  void readyReason(String hash, int replicas, int ready, int readyPods, int onHash, String reason) {
    var o = observation(List.of(), hash, replicas, ready, readyPods, onHash);
    assertEquals(reason, condition(Fixtures.proxy("x", "ns", ""), o, "Ready").getReason());
  }

  @Test
  void invalidConfigNamesTheFieldAndKeepsTheLastHash() {
    var o =
        observation(List.of("spec.pools[0].threads: 5000 (expected: 0..1024)"), "abc", 2, 2, 2, 2);
    var status = StatusBuilder.build(Fixtures.proxy("x", "ns", ""), o, NOW);
    var valid =
        status.conditions.stream()
            .filter(c -> c.getType().equals("ConfigValid"))
            .findFirst()
            .orElseThrow();
    assertEquals("False", valid.getStatus());
    assertEquals("Invalid", valid.getReason());
    assertEquals("abc", status.configHash);
    assertEquals("2/2", status.podsOnConfigHash);
  }

  @Test
  void cutsAMessageToTheConditionSchemasBound() {
    var errors =
        java.util.Collections.nCopies(2000, "spec.routes[99].files.root: must not be empty");
    var o = observation(errors, "abc", 1, 1, 1, 1);
    String message = condition(Fixtures.proxy("x", "ns", ""), o, "ConfigValid").getMessage();
    assertEquals(StatusBuilder.MAX_MESSAGE, message.length());
    assertEquals("...", message.substring(message.length() - 3));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'', Disabled, False",
    "'autoscaling: {enabled: true, mode: KEDA}', KEDA, True",
    "'autoscaling: {enabled: true}', Waiting, True"
  })
  void scalingConditionFollowsTheMode(String spec, String reason, String status) {
    var tpp = Fixtures.proxy("x", "ns", spec);
    var o =
        new Observation(List.of(), "abc", 1, 1, 1, 1, 1, AutoscalePolicy.of(tpp), Optional.empty());
    Condition scaling = condition(tpp, o, "Scaling");
    assertEquals(reason, scaling.getReason());
    assertEquals(status, scaling.getStatus());
  }

  @Test
  void transitionTimeMovesOnlyWhenStatusChanges() {
    ThreadPoolProxy tpp = Fixtures.proxy("x", "ns", "");
    var ok = observation(List.of(), "abc", 1, 1, 1, 1);
    tpp.setStatus(StatusBuilder.build(tpp, ok, NOW));
    var later = StatusBuilder.build(tpp, ok, NOW.plusSeconds(60));
    assertEquals(NOW.toString(), later.conditions.get(0).getLastTransitionTime());
    var broken = observation(List.of("spec.x: bad"), "abc", 1, 1, 1, 1);
    assertEquals(
        NOW.plusSeconds(60).toString(),
        StatusBuilder.build(tpp, broken, NOW.plusSeconds(60))
            .conditions
            .get(0)
            .getLastTransitionTime());
  }

  @Test
  void aFailedReconciliationTurnsReadyFalseAndKeepsTheRest() {
    ThreadPoolProxy tpp = Fixtures.proxy("x", "ns", "");
    tpp.setStatus(StatusBuilder.build(tpp, observation(List.of(), "abc", 2, 2, 2, 2), NOW));
    var status =
        StatusBuilder.failed(
            tpp,
            "reconciliation failed: KubernetesClientException: forbidden",
            NOW.plusSeconds(60));
    assertEquals(
        List.of("ConfigValid", "Ready", "Scaling"),
        status.conditions.stream().map(Condition::getType).toList());
    Condition ready = status.conditions.get(1);
    assertEquals("False", ready.getStatus());
    assertEquals(StatusBuilder.RECONCILE_ERROR, ready.getReason());
    assertEquals("reconciliation failed: KubernetesClientException: forbidden", ready.getMessage());
    assertEquals(NOW.plusSeconds(60).toString(), ready.getLastTransitionTime());
    assertEquals("True", status.conditions.get(0).getStatus());
    assertEquals("abc", status.configHash);
    assertEquals("2/2", status.podsOnConfigHash);
  }
}
