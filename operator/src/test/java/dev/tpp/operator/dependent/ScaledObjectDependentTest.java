package dev.tpp.operator.dependent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.operator.model.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScaledObjectDependentTest {
  @Test
  @SuppressWarnings("unchecked")
  void targetsTheProxysScaleSubresourceWithTheBlockTimeQuery() {
    var tpp = Fixtures.proxy("web", "shop", """
        autoscaling: {enabled: true, mode: KEDA, minReplicas: 2, maxReplicas: 8, targetBlockP99: 25ms,
                      scaleDownStabilization: 10m, interval: 30s}
        """);
    tpp.getMetadata().setUid("u-1");
    var so = ScaledObjectDependent.desired(tpp, new OperatorSettings("img", "http://prom:9090"));
    assertEquals("ScaledObject", so.getKind());
    assertEquals("u-1", so.getMetadata().getOwnerReferences().get(0).getUid());
    var spec = (Map<String, Object>) so.getAdditionalProperties().get("spec");
    assertEquals(Map.of("apiVersion", "tpp.dev/v1alpha1", "kind", "ThreadPoolProxy", "name", "web"),
        spec.get("scaleTargetRef"));
    assertEquals(2, spec.get("minReplicaCount"));
    assertEquals(8, spec.get("maxReplicaCount"));
    assertEquals(30L, spec.get("pollingInterval"));
    var trigger = ((List<Map<String, Object>>) spec.get("triggers")).get(0);
    var metadata = (Map<String, Object>) trigger.get("metadata");
    assertEquals("0.025", metadata.get("threshold"));
    assertEquals("http://prom:9090", metadata.get("serverAddress"));
    String query = (String) metadata.get("query");
    assertTrue(query.contains("tpp_event_loop_block_seconds_bucket{namespace=\"shop\", pod=~\"web-.*\"}"), query);
    assertTrue(query.startsWith("avg(histogram_quantile(0.99, sum by (pod, le)"), query);
    assertTrue(spec.toString().contains("stabilizationWindowSeconds=600"), spec.toString());
  }

  @Test
  @SuppressWarnings("unchecked")
  void addsAPoolWaitTriggerOnlyWithTargetPoolWaitP99() {
    var both = Fixtures.proxy("web", "shop", """
        autoscaling: {enabled: true, mode: KEDA, targetBlockP99: 25ms, targetPoolWaitP99: 50ms}
        """);
    var blockOnly = Fixtures.proxy("web", "shop", "autoscaling: {enabled: true, mode: KEDA}\n");
    var settings = new OperatorSettings("img", "http://prom:9090");
    var triggers = (List<Map<String, Object>>) ((Map<String, Object>) ScaledObjectDependent.desired(both, settings)
        .getAdditionalProperties().get("spec")).get("triggers");
    assertEquals(2, triggers.size());
    var wait = (Map<String, Object>) triggers.get(1).get("metadata");
    assertEquals("0.05", wait.get("threshold"));
    String query = (String) wait.get("query");
    assertTrue(query.contains("rate(tpp_pool_task_wait_seconds_bucket{namespace=\"shop\", pod=~\"web-.*\"}"), query);
    var single = (List<Map<String, Object>>) ((Map<String, Object>) ScaledObjectDependent.desired(blockOnly, settings)
        .getAdditionalProperties().get("spec")).get("triggers");
    assertEquals(1, single.size());
  }
}
