package dev.tpp.crds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The committed CRD (and the chart's copy) must be exactly what the generator and CrdPostProcessor
 * make from the model: a stale file fails the build. And the CRD must document itself for kubectl
 * explain.
 */
class CrdFileTest {
  static final String FILE = "threadpoolproxies.tpp.dev-v1.yml";
  static final Path GENERATED = Path.of("target/classes/META-INF/fabric8", FILE);
  static final Path COMMITTED = Path.of(FILE);

  /** The Helm chart installs this copy (helm/test.sh compares it too). */
  static final Path CHART_COPY = Path.of("../helm/threadpoolproxy/files/crds", FILE);

  /** Embedded Kubernetes types: their fields are documented by Kubernetes, not by this model. */
  static final Set<String> EMBEDDED =
      Set.of(
          "spec.resources",
          "spec.pod.tolerations",
          "spec.pod.affinity",
          "spec.pod.topologySpreadConstraints");

  @Test
  void committedCrdMatchesTheModel() throws IOException {
    String generated = Files.readString(GENERATED);
    for (Path copy : List.of(COMMITTED, CHART_COPY)) {
      if (Boolean.getBoolean("crd.update")) {
        Files.writeString(copy, generated);
      }
      assertEquals(
          generated,
          Files.exists(copy) ? Files.readString(copy) : "",
          copy + " is stale: run `mvn -pl crds test -Dcrd.update=true` and commit it");
    }
  }

  @Test
  void everyFieldHasADescription() throws IOException {
    var root = version().getSchema().getOpenAPIV3Schema();
    List<String> undocumented = new ArrayList<>();
    for (String top : List.of("spec", "status")) {
      var schema = root.getProperties().get(top);
      if (schema.getDescription() == null) {
        undocumented.add(top);
      }
      undocumented(top, schema, undocumented);
    }
    assertEquals(
        List.of(),
        undocumented,
        "fields without a description (@JsonPropertyDescription in the model)");
  }

  private static void undocumented(String path, JSONSchemaProps schema, List<String> out) {
    if (schema.getItems() != null) {
      schema = schema.getItems().getSchema();
    }
    if (schema.getProperties() == null || EMBEDDED.contains(path)) {
      return;
    }
    schema
        .getProperties()
        .forEach(
            (name, field) -> {
              if (field.getDescription() == null || field.getDescription().isBlank()) {
                out.add(path + "." + name);
              }
              undocumented(path + "." + name, field, out);
            });
  }

  @Test
  void printerColumnsInTheOrderUsersExpectWithTheHashOnWide() throws IOException {
    var columns = version().getAdditionalPrinterColumns();
    assertEquals(
        List.of("Ready", "Replicas", "Block p99", "Pool wait p99", "Config hash", "Age"),
        columns.stream().map(c -> c.getName()).toList());
    assertEquals(1, columns.get(4).getPriority());
    assertEquals(0, columns.get(0).getPriority());
  }

  @Test
  void namedListsAreKeyedForServerSideApplyAndRoutesStayAtomic() throws IOException {
    var spec =
        version().getSchema().getOpenAPIV3Schema().getProperties().get("spec").getProperties();
    for (var keyed :
        List.of(
            List.of("pools", "name"), List.of("upstreams", "name"), List.of("tls", "secretName"))) {
      var list = spec.get(keyed.get(0));
      assertEquals("map", list.getXKubernetesListType(), keyed.get(0));
      assertEquals(List.of(keyed.get(1)), list.getXKubernetesListMapKeys(), keyed.get(0));
      // the apiserver accepts a keyed list only when each key is required (or defaulted)
      assertTrue(list.getItems().getSchema().getRequired().contains(keyed.get(1)), keyed.get(0));
    }
    assertEquals("atomic", spec.get("routes").getXKubernetesListType());
  }

  @Test
  void conditionsHaveTheMetav1ConditionShape() throws IOException {
    var conditions =
        version()
            .getSchema()
            .getOpenAPIV3Schema()
            .getProperties()
            .get("status")
            .getProperties()
            .get("conditions");
    assertEquals(List.of("type"), conditions.getXKubernetesListMapKeys());
    var item = conditions.getItems().getSchema();
    assertEquals(
        Set.of("type", "status", "lastTransitionTime", "reason", "message"),
        Set.copyOf(item.getRequired()));
    assertEquals(
        List.of("True", "False", "Unknown"),
        item.getProperties().get("status").getEnum().stream().map(n -> n.asText()).toList());
    assertEquals(32768L, item.getProperties().get("message").getMaxLength());
    assertEquals("date-time", item.getProperties().get("lastTransitionTime").getFormat());
  }

  @Test
  void defaultsAndCategories() throws IOException {
    var crd = Serialization.unmarshal(Files.readString(GENERATED), CustomResourceDefinition.class);
    assertEquals(List.of("networking"), crd.getSpec().getNames().getCategories());
    var spec =
        version().getSchema().getOpenAPIV3Schema().getProperties().get("spec").getProperties();
    assertEquals("30s", spec.get("shutdownTimeout").getDefault().asText());
    assertEquals(1, spec.get("replicas").getDefault().asInt());
    assertEquals(
        "*",
        spec.get("routes")
            .getItems()
            .getSchema()
            .getProperties()
            .get("host")
            .getDefault()
            .asText());
  }

  private static CustomResourceDefinitionVersion version() throws IOException {
    return Serialization.unmarshal(Files.readString(GENERATED), CustomResourceDefinition.class)
        .getSpec()
        .getVersions()
        .get(0);
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
