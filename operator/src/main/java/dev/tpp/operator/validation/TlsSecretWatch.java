package dev.tpp.operator.validation;

import dev.tpp.crds.ThreadPoolProxy;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;

/**
 * Re-validates a ThreadPoolProxy as soon as one of its {@code spec.tls} Secrets appears, changes or
 * goes away (a cert-manager renewal, a Secret created after the resource), so {@code ConfigValid}
 * follows the Secret without waiting for the periodic reconciliation. Only Secrets of type {@value
 * #TYPE} are watched (a field selector: the operator never caches other Secrets). The pods are not
 * touched: they read the renewed files from their volume.
 */
public final class TlsSecretWatch {
  public static final String TYPE = "kubernetes.io/tls";
  static final String NAME = "tls-secrets";

  private TlsSecretWatch() {}

  /**
   * The event source; indexes the primaries by the Secrets they name to map a change back to them.
   */
  public static InformerEventSource<Secret, ThreadPoolProxy> eventSource(
      EventSourceContext<ThreadPoolProxy> context) {
    var index = new ReferenceIndex(context, "tlsSecrets", TlsSecrets::names);
    var configuration =
        InformerEventSourceConfiguration.from(Secret.class, ThreadPoolProxy.class)
            .withName(NAME)
            .withFieldSelector(new FieldSelector(new FieldSelector.Field("type", TYPE)))
            .withSecondaryToPrimaryMapper(index.<Secret>mapper())
            .build();
    return new InformerEventSource<>(configuration, context);
  }

  /** The kubernetes.io/tls Secret {@code namespace/name} from the informer's cache. */
  @SuppressWarnings("unchecked")
  static Optional<Secret> cached(Context<ThreadPoolProxy> context, String namespace, String name) {
    var source =
        (InformerEventSource<Secret, ThreadPoolProxy>)
            context.eventSourceRetriever().getEventSourceFor(Secret.class, NAME);
    return source.get(new ResourceID(name, namespace));
  }
}
