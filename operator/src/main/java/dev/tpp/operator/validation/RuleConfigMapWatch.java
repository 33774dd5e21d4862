package dev.tpp.operator.validation;

import dev.tpp.crds.ThreadPoolProxy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;

/**
 * Re-validates a ThreadPoolProxy as soon as one of its {@code spec.waf.ruleConfigMaps} changes. Only ConfigMaps
 * labelled {@value #LABEL} are watched (caching every ConfigMap of the cluster would cost the operator dearly);
 * unlabelled ones are still read, mounted and validated, at the next periodic reconciliation.
 */
public final class RuleConfigMapWatch {
  public static final String LABEL = "tpp.dev/waf-rules";

  private RuleConfigMapWatch() {}

  /** The event source; indexes the primaries by the rule ConfigMaps they name to map a change back to them. */
  public static InformerEventSource<ConfigMap, ThreadPoolProxy> eventSource(
      EventSourceContext<ThreadPoolProxy> context) {
    var index = new ReferenceIndex(context, "ruleConfigMaps", RuleConfigMapWatch::names);
    var configuration =
        InformerEventSourceConfiguration.from(ConfigMap.class, ThreadPoolProxy.class)
            .withName("rule-configmaps")
            .withLabelSelector(LABEL)
            .withSecondaryToPrimaryMapper(index.<ConfigMap>mapper())
            .build();
    return new InformerEventSource<>(configuration, context);
  }

  static List<String> names(ThreadPoolProxy tpp) {
    if (tpp.getSpec() == null || tpp.getSpec().waf == null || tpp.getSpec().waf.ruleConfigMaps == null) {
      return List.of();
    }
    return tpp.getSpec().waf.ruleConfigMaps;
  }
}
