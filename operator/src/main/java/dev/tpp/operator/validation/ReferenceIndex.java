package dev.tpp.operator.validation;

import dev.tpp.crds.ThreadPoolProxy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An index of the primary cache by the objects each ThreadPoolProxy names (rule ConfigMaps, TLS
 * Secrets), so a watch on those objects maps a change back to the resources that use it. Keys are
 * {@code namespace/name}.
 */
final class ReferenceIndex {
  private final EventSourceContext<ThreadPoolProxy> context;
  private final String index;

  /**
   * Adds index {@code index} to the primary cache; {@code names} lists what one resource names in
   * its namespace.
   */
  ReferenceIndex(
      EventSourceContext<ThreadPoolProxy> context,
      String index,
      Function<ThreadPoolProxy, List<String>> names) {
    this.context = context;
    this.index = index;
    context.getPrimaryCache().addIndexer(index, tpp -> keys(tpp, names));
  }

  /** The resources that name {@code object}. */
  <R extends HasMetadata> SecondaryToPrimaryMapper<R> mapper() {
    return object ->
        context
            .getPrimaryCache()
            .byIndex(
                index, key(object.getMetadata().getNamespace(), object.getMetadata().getName()))
            .stream()
            .map(ResourceID::fromResource)
            .collect(Collectors.toSet());
  }

  static List<String> keys(ThreadPoolProxy tpp, Function<ThreadPoolProxy, List<String>> names) {
    return names.apply(tpp).stream().map(n -> key(tpp.getMetadata().getNamespace(), n)).toList();
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
