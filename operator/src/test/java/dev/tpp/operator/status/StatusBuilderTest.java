package dev.tpp.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.model.Fixtures;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class StatusBuilderTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  static Condition condition(ThreadPoolProxy tpp, Observation o, String type) {
    return StatusBuilder.build(tpp, o, NOW).conditions.stream()
        .filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  @ParameterizedTest(name = "{5}")
  @CsvSource({
    "abc, 3, 3, 3, 3, AllPodsReady",
    "abc, 3, 2, 2, 2, PodsNotReady",
    "abc, 3, 3, 3, 1, ConfigPending",
    "   , 0, 0, 0, 0, NoValidConfig",
  })
  void readyReason(String hash, int replicas, int ready, int readyPods, int onHash, String reason) {
    var o = new Observation(List.of(), hash, replicas, ready, readyPods, onHash, false, Optional.empty());
    assertEquals(reason, condition(Fixtures.proxy("x", "ns", ""), o, "Ready").getReason());
  }

  @Test
  void invalidConfigNamesTheFieldAndKeepsTheLastHash() {
    var o = new Observation(List.of("spec.pools[0].threads: 5000 (expected: 0..1024)"), "abc", 2, 2, 2, 2, false,
        Optional.empty());
    var status = StatusBuilder.build(Fixtures.proxy("x", "ns", ""), o, NOW);
    var valid = status.conditions.stream().filter(c -> c.getType().equals("ConfigValid")).findFirst().orElseThrow();
    assertEquals("False", valid.getStatus());
    assertEquals("Invalid", valid.getReason());
    assertEquals("abc", status.configHash);
    assertEquals("2/2", status.podsOnConfigHash);
  }

  @Test
  void transitionTimeMovesOnlyWhenStatusChanges() {
    ThreadPoolProxy tpp = Fixtures.proxy("x", "ns", "");
    var ok = new Observation(List.of(), "abc", 1, 1, 1, 1, false, Optional.empty());
    tpp.setStatus(StatusBuilder.build(tpp, ok, NOW));
    var later = StatusBuilder.build(tpp, ok, NOW.plusSeconds(60));
    assertEquals(NOW.toString(), later.conditions.get(0).getLastTransitionTime());
    var broken = new Observation(List.of("spec.x: bad"), "abc", 1, 1, 1, 1, false, Optional.empty());
    assertEquals(NOW.plusSeconds(60).toString(),
        StatusBuilder.build(tpp, broken, NOW.plusSeconds(60)).conditions.get(0).getLastTransitionTime());
  }
}
