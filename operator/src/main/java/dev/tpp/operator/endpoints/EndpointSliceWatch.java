package dev.tpp.operator.endpoints;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.model.EndpointsRenderer;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reconciles a ThreadPoolProxy as soon as an EndpointSlice of a Service named in its {@code
 * upstreams[].service} changes (a pod turns ready or unready, starts terminating, is added or
 * removed), and serves those slices from the informer's cache, so rendering the endpoints costs no
 * API call. Only slices with the {@value EndpointsRenderer#SERVICE_LABEL} label are watched: every
 * Service-managed slice has it.
 */
public final class EndpointSliceWatch {
  public static final String NAME = "endpointslices";
  static final String INDEX = "serviceUpstreams";

  private EndpointSliceWatch() {}

  /**
   * The event source; indexes the primaries by the Services they name to map a slice change back to
   * them.
   */
  public static InformerEventSource<EndpointSlice, ThreadPoolProxy> eventSource(
      EventSourceContext<ThreadPoolProxy> context) {
    context.getPrimaryCache().addIndexer(INDEX, EndpointSliceWatch::keys);
    var configuration =
        InformerEventSourceConfiguration.from(EndpointSlice.class, ThreadPoolProxy.class)
            .withName(NAME)
            .withLabelSelector(EndpointsRenderer.SERVICE_LABEL)
            .withSecondaryToPrimaryMapper(
                slice ->
                    context
                        .getPrimaryCache()
                        .byIndex(INDEX, key(slice.getMetadata().getNamespace(), service(slice)))
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .build();
    return new InformerEventSource<>(configuration, context);
  }

  /** The cached slices of Service {@code service} in {@code namespace}. */
  @SuppressWarnings("unchecked")
  public static List<EndpointSlice> slices(
      Context<ThreadPoolProxy> context, String namespace, String service) {
    var source =
        (InformerEventSource<EndpointSlice, ThreadPoolProxy>)
            context.eventSourceRetriever().getEventSourceFor(EndpointSlice.class, NAME);
    return source.list(namespace, slice -> service.equals(service(slice))).toList();
  }

  static List<String> keys(ThreadPoolProxy tpp) {
    return EndpointsRenderer.serviceUpstreams(tpp).stream()
        .map(u -> key(tpp.getMetadata().getNamespace(), u.service.name))
        .toList();
  }

  private static String service(EndpointSlice slice) {
    return slice.getMetadata().getLabels() == null
        ? null
        : slice.getMetadata().getLabels().get(EndpointsRenderer.SERVICE_LABEL);
  }

  private static String key(String namespace, String service) {
    return namespace + "/" + service;
  }
}
