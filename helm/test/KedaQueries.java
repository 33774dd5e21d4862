import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.crds.ThreadPoolProxySpec;
import dev.tpp.operator.dependent.OperatorSettings;
import dev.tpp.operator.dependent.ScaledObjectDependent;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;

/**
 * Prints the PromQL query of every trigger of the ScaledObject the operator writes for ThreadPoolProxy NAME in
 * NAMESPACE (mode KEDA, both signals), one per line, so helm/test.sh can run them against a real Prometheus.
 * Run: java -cp operator/target/tpp-operator.jar helm/test/KedaQueries.java NAMESPACE NAME
 */
public class KedaQueries {
  @SuppressWarnings("unchecked")
  public static void main(String[] args) {
    var tpp = new ThreadPoolProxy();
    tpp.setMetadata(new ObjectMetaBuilder().withNamespace(args[0]).withName(args[1]).withUid("u").build());
    tpp.setSpec(new KubernetesSerialization().unmarshal(
        "autoscaling: {enabled: true, mode: KEDA, targetBlockP99: 20ms, targetPoolWaitP99: 50ms}",
        ThreadPoolProxySpec.class));
    var so = ScaledObjectDependent.desired(tpp, new OperatorSettings("img", "http://prometheus:9090"));
    var spec = (Map<String, Object>) so.getAdditionalProperties().get("spec");
    for (var trigger : (List<Map<String, Object>>) spec.get("triggers")) {
      System.out.println(((Map<String, Object>) trigger.get("metadata")).get("query"));
    }
  }
}
