package dev.tpp.operator.validation;

import dev.tpp.crds.ThreadPoolProxy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Re-validates a ThreadPoolProxy as soon as one of its {@code spec.waf.ruleConfigMaps} changes. Only ConfigMaps
 * labelled {@value #LABEL} are watched (caching every ConfigMap of the cluster would cost the operator dearly);
 * unlabelled ones are still read, mounted and validated, at the next periodic reconciliation.
 */
public final class RuleConfigMapWatch {
  public static final String LABEL = "tpp.dev/waf-rules";
  static final String INDEX = "ruleConfigMaps";

  private RuleConfigMapWatch() {}

  /** The event source; indexes the primaries by the rule ConfigMaps they name to map a change back to them. */
  public static InformerEventSource<ConfigMap, ThreadPoolProxy> eventSource(
      EventSourceContext<ThreadPoolProxy> context) {
    context.getPrimaryCache().addIndexer(INDEX, RuleConfigMapWatch::keys);
    var configuration =
        InformerEventSourceConfiguration.from(ConfigMap.class, ThreadPoolProxy.class)
            .withName("rule-configmaps")
            .withLabelSelector(LABEL)
            .withSecondaryToPrimaryMapper(
                cm -> context.getPrimaryCache()
                    .byIndex(INDEX, key(cm.getMetadata().getNamespace(), cm.getMetadata().getName())).stream()
                    .map(ResourceID::fromResource)
                    .collect(Collectors.toSet()))
            .build();
    return new InformerEventSource<>(configuration, context);
  }

  static List<String> keys(ThreadPoolProxy tpp) {
    if (tpp.getSpec() == null || tpp.getSpec().waf == null || tpp.getSpec().waf.ruleConfigMaps == null) {
      return List.of();
    }
    return tpp.getSpec().waf.ruleConfigMaps.stream().map(n -> key(tpp.getMetadata().getNamespace(), n)).toList();
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
