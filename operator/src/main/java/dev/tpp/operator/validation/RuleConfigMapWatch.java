package dev.tpp.operator.validation;

import dev.tpp.crds.ThreadPoolProxy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Optional;

/**
 * Re-validates a ThreadPoolProxy as soon as one of its {@code spec.waf.ruleConfigMaps} changes.
 * Only ConfigMaps labelled {@value #LABEL} are watched (caching every ConfigMap of the cluster
 * would cost the operator dearly); unlabelled ones are still read (one GET each), mounted and
 * validated, at the next periodic reconciliation.
 */
public final class RuleConfigMapWatch {
  public static final String LABEL = "tpp.dev/waf-rules";
  static final String NAME = "rule-configmaps";

  private RuleConfigMapWatch() {}

  /**
   * The event source; indexes the primaries by the rule ConfigMaps they name to map a change back
   * to them.
   */
  public static InformerEventSource<ConfigMap, ThreadPoolProxy> eventSource(
      EventSourceContext<ThreadPoolProxy> context) {
    var index = new ReferenceIndex(context, "ruleConfigMaps", RuleConfigMapWatch::names);
    var configuration =
        InformerEventSourceConfiguration.from(ConfigMap.class, ThreadPoolProxy.class)
            .withName(NAME)
            .withLabelSelector(LABEL)
            .withSecondaryToPrimaryMapper(index.<ConfigMap>mapper())
            .build();
    return new InformerEventSource<>(configuration, context);
  }

  /** The labelled ConfigMap {@code namespace/name} from the informer's cache. */
  @SuppressWarnings("unchecked")
  static Optional<ConfigMap> cached(
      Context<ThreadPoolProxy> context, String namespace, String name) {
    var source =
        (InformerEventSource<ConfigMap, ThreadPoolProxy>)
            context.eventSourceRetriever().getEventSourceFor(ConfigMap.class, NAME);
    return source.get(new ResourceID(name, namespace));
  }

  static List<String> names(ThreadPoolProxy tpp) {
    if (tpp.getSpec() == null
        || tpp.getSpec().waf == null
        || tpp.getSpec().waf.ruleConfigMaps == null) {
      return List.of();
    }
    return tpp.getSpec().waf.ruleConfigMaps;
  }
}
