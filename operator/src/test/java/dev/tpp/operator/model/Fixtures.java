package dev.tpp.operator.model;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.crds.ThreadPoolProxySpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Builds ThreadPoolProxy resources for tests from a spec written in YAML. */
public final class Fixtures {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Fixtures() {}

  public static ThreadPoolProxy proxy(String name, String namespace, String specYaml) {
    ThreadPoolProxy tpp = new ThreadPoolProxy();
    tpp.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace(namespace).withGeneration(1L).build());
    tpp.setSpec(
        SERIALIZATION.unmarshal(specYaml.isBlank() ? "{}" : specYaml, ThreadPoolProxySpec.class));
    return tpp;
  }
}
