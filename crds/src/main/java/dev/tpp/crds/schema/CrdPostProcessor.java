package dev.tpp.crds.schema;

import dev.tpp.crds.ThreadPoolProxy;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What fabric8's CRD generator cannot express, applied to its output at build time ({@code
 * process-classes}, after the generator, from {@code crds/pom.xml}): printer columns in the order
 * declared on {@link ThreadPoolProxy} (the generator sorts them by name), lists keyed for
 * server-side apply, and a metav1.Condition schema for {@code status.conditions}. Single-threaded
 * build tool; {@link #process} is pure.
 */
public final class CrdPostProcessor {
  /**
   * Lists of objects that server-side apply merges by key instead of replacing whole: path from the
   * root schema.
   */
  static final Map<String, String> KEYED_LISTS =
      Map.of(
          "spec.pools", "name",
          "spec.upstreams", "name",
          "spec.tls", "secretName",
          "status.conditions", "type");

  /** Lists whose order is their meaning: replaced whole by whoever applies them. */
  static final List<String> ATOMIC_LISTS = List.of("spec.routes");

  static final String HEADER =
      "# Generated from the Java model in crds/src/main/java by fabric8's CRD generator, then"
          + " dev.tpp.crds.schema.CrdPostProcessor.\n# Edit the model, not this file: mvn -pl crds test -Dcrd.update=true\n";

  static final String SPEC =
      "The desired fleet: every proxy.yaml field under its own name (absent = the proxy's"
          + " default), plus the Kubernetes side: replicas, image, resources, pod, service, podDisruptionBudget,"
          + " autoscaling.";
  static final String STATUS = "What the operator observed; written only by the operator.";

  private CrdPostProcessor() {}

  /** Rewrites the generated CRD file {@code args[0]} in place. */
  public static void main(String[] args) throws IOException {
    var serialization = new KubernetesSerialization();
    Path file = Path.of(args[0]);
    var crd = serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
    Files.writeString(
        file, HEADER + plainBounds(serialization.asYaml(process(crd)).replaceFirst("^---\n", "")));
  }

  private static final Pattern EXPONENT_BOUND =
      Pattern.compile("^(\\s*(?:maximum|minimum): )([0-9.]+E[0-9]+)$", Pattern.MULTILINE);

  /**
   * Bounds of 10^7 and more without an exponent: Jackson writes {@code 1.0E7}, which YAML 1.1
   * parsers (PyYAML, and by the letter of the spec the API server's) may read as a string.
   */
  static String plainBounds(String yaml) {
    return EXPONENT_BOUND
        .matcher(yaml)
        .replaceAll(m -> m.group(1) + new BigDecimal(m.group(2)).toBigIntegerExact());
  }

  /** The post-processed copy of {@code crd} (changed in place and returned). */
  public static CustomResourceDefinition process(CustomResourceDefinition crd) {
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      version.setAdditionalPrinterColumns(declaredOrder(version.getAdditionalPrinterColumns()));
      JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
      root.setDescription(
          "A fleet of proxies with named bounded offload thread pools, sharing one proxy.yaml.");
      root.getProperties().get("spec").setDescription(SPEC);
      root.getProperties().get("status").setDescription(STATUS);
      root.getProperties()
          .get("status")
          .getProperties()
          .put(
              "conditions",
              ConditionSchema.of(
                  root.getProperties()
                      .get("status")
                      .getProperties()
                      .get("conditions")
                      .getDescription()));
      KEYED_LISTS.forEach(
          (path, key) -> {
            JSONSchemaProps list = at(root, path);
            list.setXKubernetesListType("map");
            list.setXKubernetesListMapKeys(List.of(key));
          });
      ATOMIC_LISTS.forEach(path -> at(root, path).setXKubernetesListType("atomic"));
    }
    return crd;
  }

  private static List<CustomResourceColumnDefinition> declaredOrder(
      List<CustomResourceColumnDefinition> columns) {
    List<String> order =
        Arrays.stream(ThreadPoolProxy.class.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
    return columns.stream()
        .sorted(Comparator.comparingInt(c -> order.indexOf(c.getName())))
        .toList();
  }

  /**
   * The schema at a dotted path of property names; fails the build when the model no longer has it.
   */
  static JSONSchemaProps at(JSONSchemaProps root, String path) {
    JSONSchemaProps schema = root;
    for (String name : path.split("\\.")) {
      schema = schema.getProperties() == null ? null : schema.getProperties().get(name);
      if (schema == null) {
        throw new IllegalStateException("CRD schema has no " + path);
      }
    }
    return schema;
  }
}
