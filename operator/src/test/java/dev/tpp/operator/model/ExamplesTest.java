package dev.tpp.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.crds.ThreadPoolProxySpec;
import dev.tpp.operator.validation.RuleCompiler;
import dev.tpp.operator.validation.SpecValidator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every file in deploy/examples parses with the model, renders, passes the proxy's validator and
 * compiles its rules.
 */
class ExamplesTest {
  static final Path EXAMPLES = Path.of("../deploy/examples");
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "basic.yaml",
        "waf-crs.yaml",
        "autoscaling.yaml",
        "static-files.yaml",
        "tls.yaml",
        "edge.yaml"
      })
  void exampleRendersAndValidates(String file) throws Exception {
    List<HasMetadata> objects = load(EXAMPLES.resolve(file));
    Map<String, Map<String, String>> configMaps = new HashMap<>();
    objects.stream()
        .filter(o -> o instanceof ConfigMap)
        .map(ConfigMap.class::cast)
        .forEach(cm -> configMaps.put(cm.getMetadata().getName(), cm.getData()));
    List<ThreadPoolProxy> proxies =
        objects.stream()
            .filter(o -> o instanceof ThreadPoolProxy)
            .map(ThreadPoolProxy.class::cast)
            .toList();
    assertEquals(1, proxies.size());
    ThreadPoolProxy tpp = proxies.get(0);
    assertNoUnknownFields(EXAMPLES.resolve(file));
    tpp.getMetadata().setNamespace("default");
    var checked =
        new SpecValidator(RuleCompiler.WAF_ENGINE)
            .check(tpp, configMaps, certificateSecrets(objects));
    assertFalse(checked.hash().isEmpty());
  }

  /**
   * The Secrets that the file's cert-manager Certificates would produce: a pair for their dnsNames,
   * made by openssl. Certificates are read as plain maps (no cert-manager model here); other kinds
   * are skipped.
   */
  static Map<String, Map<String, String>> certificateSecrets(List<HasMetadata> objects) {
    Map<String, Map<String, String>> secrets = new HashMap<>();
    for (HasMetadata o : objects) {
      if (o instanceof GenericKubernetesResource r && r.getKind().equals("Certificate")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) r.getAdditionalProperties().get("spec");
        @SuppressWarnings("unchecked")
        List<String> names = (List<String>) spec.get("dnsNames");
        secrets.put(
            (String) spec.get("secretName"), TlsSecretData.pem(names.toArray(String[]::new)));
      }
    }
    return secrets;
  }

  /** Strict re-read of the spec: a misspelt field fails here instead of being dropped silently. */
  static void assertNoUnknownFields(Path file) throws IOException {
    var yaml =
        new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    try (var parser = yaml.getFactory().createParser(Files.readString(file))) {
      for (var docs = yaml.readValues(parser, JsonNode.class); docs.hasNext(); ) {
        JsonNode doc = docs.next();
        if (doc.path("kind").asText().equals("ThreadPoolProxy")) {
          yaml.treeToValue(doc.get("spec"), ThreadPoolProxySpec.class);
        }
      }
    }
  }

  static List<HasMetadata> load(Path file) throws IOException {
    SERIALIZATION.registerKubernetesResource(ThreadPoolProxy.class);
    Object parsed = SERIALIZATION.unmarshal(Files.readString(file));
    return parsed instanceof List<?> list
        ? list.stream().map(HasMetadata.class::cast).toList()
        : List.of((HasMetadata) parsed);
  }
}
