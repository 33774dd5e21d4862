package dev.tpp.crds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The committed CRD must be exactly what the generator makes from the model: a stale file fails the build. */
class CrdFileTest {
  static final String FILE = "threadpoolproxies.tpp.dev-v1.yml";
  static final Path GENERATED = Path.of("target/classes/META-INF/fabric8", FILE);
  static final Path COMMITTED = Path.of(FILE);

  @Test
  void committedCrdMatchesTheModel() throws IOException {
    String generated = Files.readString(GENERATED);
    if (Boolean.getBoolean("crd.update")) {
      Files.writeString(COMMITTED, generated);
    }
    String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED) : "";
    assertEquals(
        generated,
        committed,
        "crds/" + FILE + " is stale: run `mvn -pl crds test -Dcrd.update=true` and commit it");
  }

  @Test
  void crdHasSubresourcesColumnsAndCelRules() throws IOException {
    var crd = Serialization.unmarshal(Files.readString(GENERATED), CustomResourceDefinition.class);
    assertEquals(List.of("tpp"), crd.getSpec().getNames().getShortNames());
    var version = crd.getSpec().getVersions().get(0);
    assertEquals("v1alpha1", version.getName());
    var scale = version.getSubresources().getScale();
    assertEquals(".spec.replicas", scale.getSpecReplicasPath());
    assertEquals(".status.replicas", scale.getStatusReplicasPath());
    assertEquals(".status.selector", scale.getLabelSelectorPath());
    assertTrue(version.getSubresources().getStatus() != null);
    assertEquals(
        Set.of("Ready", "Replicas", "Block p99", "Config hash", "Age"),
        version.getAdditionalPrinterColumns().stream().map(c -> c.getName()).collect(Collectors.toSet()));
    var spec = version.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    assertEquals(6, spec.getXKubernetesValidations().size());
    var tls = spec.getProperties().get("tls").getItems().getSchema();
    assertEquals(List.of("secretName"), tls.getRequired());
    assertEquals("array", tls.getProperties().get("hosts").getType());
    assertTrue(spec.getProperties().get("listen").getProperties().containsKey("redirectToHttps"));
    assertTrue(!spec.getProperties().get("admin").getProperties().containsKey("redirectToHttps"));
    var pool = spec.getProperties().get("pools").getItems().getSchema();
    assertEquals(List.of("name", "threads"), pool.getRequired());
    assertEquals(1024, pool.getProperties().get("threads").getMaximum().intValue());
    var route = spec.getProperties().get("routes").getItems().getSchema();
    assertTrue(route.getXKubernetesValidations().get(0).getRule().contains("__return__"));
  }
}
