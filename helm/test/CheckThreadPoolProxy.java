import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.validation.SpecValidator;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Validates the ThreadPoolProxy in a YAML file the way the operator does (CRD model, rendered proxy.yaml, the proxy's
 * own loader), so the example the chart's NOTES.txt prints cannot drift from the API. Exit 1 with the errors when
 * invalid. Run: java -cp operator/target/tpp-operator.jar helm/test/CheckThreadPoolProxy.java FILE
 */
public class CheckThreadPoolProxy {
  public static void main(String[] args) throws Exception {
    ThreadPoolProxy tpp;
    try (var in = Files.newInputStream(Path.of(args[0]))) {
      tpp = new KubernetesSerialization().unmarshal(in, ThreadPoolProxy.class);
    }
    tpp.getMetadata().setNamespace("default");
    var checked = new SpecValidator(sources -> {}).check(tpp, Map.of());
    System.out.println(tpp.getMetadata().getName() + ": valid, config hash " + checked.hash());
  }
}
