package dev.tpp.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.crds.ThreadPoolProxySpec;
import dev.tpp.operator.validation.SpecValidator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The CRD's {@code default:} values are what the proxy and the operator assume for an absent field:
 * a spec with every defaulted field left out renders the same config (same hash) and the same
 * autoscaling policy as that spec after the API server has filled in the CRD's defaults, and the
 * same pod template and Service. A default that disagreed would change a user's fleet on apply.
 */
class CrdDefaultsTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /**
   * Every object that holds a defaulted field is present (empty), so every default in the CRD gets
   * applied.
   */
  private static final String SPEC =
      """
      listen: {}
      admin: {}
      accept: {}
      keepalive: {}
      http: {}
      autoscaling: {}
      pools: [{name: waf, threads: 2}, {name: files, threads: 2}]
      upstreams: [{name: backend, endpoints: ["127.0.0.1:8080"], outlierDetection: {}}]
      routes:
        - {path: /static/, files: {root: /srv/www, pool: files}}
        - {path: /, upstream: backend}
      waf: {pool: waf, crs: {}}
      pod: {}
      service: {}
      """;

  @Test
  void crdDefaultsAreTheProxysAndOperatorsOwn() throws Exception {
    var crd =
        JSON.unmarshal(
            Files.readString(Path.of("../crds/threadpoolproxies.tpp.dev-v1.yml")),
            CustomResourceDefinition.class);
    JSONSchemaProps specSchema =
        crd.getSpec()
            .getVersions()
            .get(0)
            .getSchema()
            .getOpenAPIV3Schema()
            .getProperties()
            .get("spec");
    @SuppressWarnings("unchecked")
    Map<String, Object> written = JSON.unmarshal(SPEC, Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> defaulted = JSON.unmarshal(SPEC, Map.class);
    Set<String> applied = new TreeSet<>();
    applyDefaults("spec", specSchema, defaulted, applied);

    var plain = proxy(written);
    var filled = proxy(defaulted);
    var validator = new SpecValidator(sources -> {});
    assertEquals(
        validator.check(plain, Map.of()).hash(),
        validator.check(filled, Map.of()).hash(),
        "the CRD's defaults change the rendered config:\n" + ProxyYamlRenderer.render(filled));
    assertEquals(AutoscalePolicy.of(plain), AutoscalePolicy.of(filled));
    assertEquals(
        PodTemplateRenderer.render(plain, "img"), PodTemplateRenderer.render(filled, "img"));
    assertEquals(ServiceRenderer.data(plain), ServiceRenderer.data(filled));
    assertEquals(1, filled.getSpec().replicas);
    assertEquals(
        defaulted("spec", specSchema, new TreeSet<>()),
        applied,
        "the fixture leaves a default unchecked");
  }

  private static ThreadPoolProxy proxy(Map<String, Object> spec) {
    var tpp = new ThreadPoolProxy();
    tpp.setMetadata(
        new ObjectMetaBuilder().withName("web").withNamespace("shop").withGeneration(1L).build());
    tpp.setSpec(JSON.convertValue(spec, ThreadPoolProxySpec.class));
    return tpp;
  }

  /**
   * Structural defaulting as the API server does it: absent fields of present objects, list items
   * included.
   */
  @SuppressWarnings("unchecked")
  static void applyDefaults(
      String path, JSONSchemaProps schema, Object value, Set<String> applied) {
    if (value instanceof List<?> list && schema.getItems() != null) {
      list.forEach(
          item -> applyDefaults(path + "[]", schema.getItems().getSchema(), item, applied));
    } else if (value instanceof Map<?, ?> map && schema.getProperties() != null) {
      schema
          .getProperties()
          .forEach(
              (name, field) -> {
                if (field.getDefault() != null && !map.containsKey(name)) {
                  ((Map<String, Object>) map)
                      .put(name, JSON.convertValue(field.getDefault(), Object.class));
                  applied.add(path + "." + name);
                }
                if (map.containsKey(name)) {
                  applyDefaults(path + "." + name, field, map.get(name), applied);
                }
              });
    }
  }

  /** Every field of the schema that has a default, by path. */
  private static Set<String> defaulted(String path, JSONSchemaProps schema, Set<String> out) {
    if (schema.getItems() != null) {
      defaulted(path + "[]", schema.getItems().getSchema(), out);
    }
    if (schema.getProperties() != null) {
      schema
          .getProperties()
          .forEach(
              (name, field) -> {
                if (field.getDefault() != null) {
                  out.add(path + "." + name);
                }
                defaulted(path + "." + name, field, out);
              });
    }
    return out;
  }
}
