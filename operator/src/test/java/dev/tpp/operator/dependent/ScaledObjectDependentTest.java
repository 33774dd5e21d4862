package dev.tpp.operator.dependent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.operator.model.AutoscalePolicy;
import dev.tpp.operator.model.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ScaledObjectDependentTest {
  @Test
  @SuppressWarnings("unchecked")
  void targetsTheProxysScaleSubresourceWithTheBlockTimeQuery() {
    var tpp =
        Fixtures.proxy(
            "web",
            "shop",
            """
        autoscaling: {enabled: true, mode: KEDA, minReplicas: 2, maxReplicas: 8, targetBlockP99: 25ms,
                      scaleDownStabilization: 10m, interval: 30s}
        """);
    tpp.getMetadata().setUid("u-1");
    var so = ScaledObjectDependent.desired(tpp, new OperatorSettings("img", "http://prom:9090"));
    assertEquals("ScaledObject", so.getKind());
    assertEquals("u-1", so.getMetadata().getOwnerReferences().get(0).getUid());
    var spec = (Map<String, Object>) so.getAdditionalProperties().get("spec");
    assertEquals(
        Map.of("apiVersion", "tpp.dev/v1alpha1", "kind", "ThreadPoolProxy", "name", "web"),
        spec.get("scaleTargetRef"));
    assertEquals(2, spec.get("minReplicaCount"));
    assertEquals(8, spec.get("maxReplicaCount"));
    assertEquals(30L, spec.get("pollingInterval"));
    var trigger = ((List<Map<String, Object>>) spec.get("triggers")).get(0);
    var metadata = (Map<String, Object>) trigger.get("metadata");
    assertEquals("0.025", metadata.get("threshold"));
    assertEquals("http://prom:9090", metadata.get("serverAddress"));
    String query = (String) metadata.get("query");
    assertTrue(
        query.contains(
            "tpp_event_loop_block_seconds_bucket{namespace=\"shop\", app_kubernetes_io_instance=\"web\"}"),
        query);
    assertTrue(query.startsWith("avg(histogram_quantile(0.99, sum by (pod, le)"), query);
    assertTrue(spec.toString().contains("stabilizationWindowSeconds=600"), spec.toString());
  }

  @Test
  @SuppressWarnings("unchecked")
  void addsAPoolWaitTriggerOnlyWithTargetPoolWaitP99() {
    var both =
        Fixtures.proxy(
            "web",
            "shop",
            """
        autoscaling: {enabled: true, mode: KEDA, targetBlockP99: 25ms, targetPoolWaitP99: 50ms}
        """);
    var blockOnly = Fixtures.proxy("web", "shop", "autoscaling: {enabled: true, mode: KEDA}\n");
    var settings = new OperatorSettings("img", "http://prom:9090");
    var triggers =
        (List<Map<String, Object>>)
            ((Map<String, Object>)
                    ScaledObjectDependent.desired(both, settings)
                        .getAdditionalProperties()
                        .get("spec"))
                .get("triggers");
    assertEquals(2, triggers.size());
    var wait = (Map<String, Object>) triggers.get(1).get("metadata");
    assertEquals("0.05", wait.get("threshold"));
    String query = (String) wait.get("query");
    assertTrue(
        query.contains(
            "rate(tpp_pool_task_wait_seconds_bucket{namespace=\"shop\", app_kubernetes_io_instance=\"web\"}"),
        query);
    var single =
        (List<Map<String, Object>>)
            ((Map<String, Object>)
                    ScaledObjectDependent.desired(blockOnly, settings)
                        .getAdditionalProperties()
                        .get("spec"))
                .get("triggers");
    assertEquals(1, single.size());
  }

  @Test
  void siblingProxiesNamedAAndABScaleOnlyOnTheirOwnPods() {
    String autoscaling =
        "autoscaling: {enabled: true, mode: KEDA, targetBlockP99: 20ms, targetPoolWaitP99: 50ms}\n";
    var a = Fixtures.proxy("a", "shop", autoscaling);
    var ab = Fixtures.proxy("a-b", "shop", autoscaling);
    // The target labels Prometheus gives each pod through the chart's PodMonitor.
    var podOfA =
        Map.of("namespace", "shop", "pod", "a-7d9f8b6c4d-x2x4q", "app_kubernetes_io_instance", "a");
    var podOfAB =
        Map.of(
            "namespace",
            "shop",
            "pod",
            "a-b-5c6d7e8f9a-k3l4m",
            "app_kubernetes_io_instance",
            "a-b");
    var podOfAElsewhere =
        Map.of("namespace", "test", "pod", "a-7d9f8b6c4d-q1w2e", "app_kubernetes_io_instance", "a");
    var settings = new OperatorSettings("img", "http://prom:9090");
    for (var trigger :
        ScaledObjectDependent.triggers(a, AutoscalePolicy.of(a), settings.prometheusUrl())) {
      String query = query(trigger);
      assertTrue(selects(query, podOfA), query);
      assertFalse(selects(query, podOfAB), query);
      assertFalse(selects(query, podOfAElsewhere), query);
    }
    for (var trigger :
        ScaledObjectDependent.triggers(ab, AutoscalePolicy.of(ab), settings.prometheusUrl())) {
      String query = query(trigger);
      assertTrue(selects(query, podOfAB), query);
      assertFalse(selects(query, podOfA), query);
    }
    // The pod-name prefix this replaced: it picks up the sibling's pods, which is why the matcher
    // below matters.
    assertTrue(selects("x{namespace=\"shop\", pod=~\"a-.*\"}", podOfAB));
  }

  @SuppressWarnings("unchecked")
  private static String query(Map<String, Object> trigger) {
    return (String) ((Map<String, Object>) trigger.get("metadata")).get("query");
  }

  private static final Pattern SELECTOR = Pattern.compile("\\{([^}]*)}");
  private static final Pattern MATCHER =
      Pattern.compile("(\\w+)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  /**
   * Whether every series selector in {@code query} matches a series with {@code labels}, as
   * Prometheus does.
   */
  private static boolean selects(String query, Map<String, String> labels) {
    var selectors = SELECTOR.matcher(query);
    boolean any = false;
    while (selectors.find()) {
      any = true;
      var m = MATCHER.matcher(selectors.group(1));
      while (m.find()) {
        String value = labels.getOrDefault(m.group(1), "");
        boolean hit =
            switch (m.group(2)) {
              case "=" -> value.equals(m.group(3));
              case "!=" -> !value.equals(m.group(3));
              case "=~" -> value.matches(m.group(3));
              default -> !value.matches(m.group(3));
            };
        if (!hit) {
          return false;
        }
      }
    }
    return any;
  }
}
