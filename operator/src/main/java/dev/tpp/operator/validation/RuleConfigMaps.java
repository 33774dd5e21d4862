package dev.tpp.operator.validation;

import dev.tpp.crds.ThreadPoolProxy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the ConfigMaps named in {@code spec.waf.ruleConfigMaps}, so their rules are compiled before they ship. */
public final class RuleConfigMaps {
  private RuleConfigMaps() {}

  /** Name to data for each rule ConfigMap; a missing one maps to null. Blocking API calls. */
  public static Map<String, Map<String, String>> read(KubernetesClient client, ThreadPoolProxy tpp) {
    List<String> names = tpp.getSpec() == null || tpp.getSpec().waf == null ? null : tpp.getSpec().waf.ruleConfigMaps;
    Map<String, Map<String, String>> data = new HashMap<>();
    if (names == null) {
      return data;
    }
    for (String name : names) {
      ConfigMap cm = client.configMaps().inNamespace(tpp.getMetadata().getNamespace()).withName(name).get();
      data.put(name, cm == null ? null : cm.getData() == null ? Map.of() : cm.getData());
    }
    return data;
  }
}
