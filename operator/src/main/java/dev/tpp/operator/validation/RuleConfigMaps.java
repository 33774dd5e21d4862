package dev.tpp.operator.validation;

import dev.tpp.crds.ThreadPoolProxy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the ConfigMaps named in {@code spec.waf.ruleConfigMaps}, so their rules are compiled before
 * they ship: from the {@link RuleConfigMapWatch} informer's cache when the ConfigMap carries its
 * label, else (unlabelled, or just deleted) with one GET. Called on the reconciler's thread.
 */
public final class RuleConfigMaps {
  private RuleConfigMaps() {}

  /** Name to data for each rule ConfigMap; a missing one maps to null. */
  public static Map<String, Map<String, String>> read(
      Context<ThreadPoolProxy> context, ThreadPoolProxy tpp) {
    List<String> names =
        tpp.getSpec() == null || tpp.getSpec().waf == null
            ? null
            : tpp.getSpec().waf.ruleConfigMaps;
    Map<String, Map<String, String>> data = new HashMap<>();
    if (names == null) {
      return data;
    }
    for (String name : names) {
      String namespace = tpp.getMetadata().getNamespace();
      ConfigMap cm =
          RuleConfigMapWatch.cached(context, namespace, name)
              .orElseGet(
                  () ->
                      context.getClient().configMaps().inNamespace(namespace).withName(name).get());
      data.put(name, cm == null ? null : cm.getData() == null ? Map.of() : cm.getData());
    }
    return data;
  }
}
