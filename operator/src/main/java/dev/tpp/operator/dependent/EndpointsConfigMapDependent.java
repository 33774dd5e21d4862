package dev.tpp.operator.dependent;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.endpoints.EndpointSliceWatch;
import dev.tpp.operator.model.EndpointsRenderer;
import dev.tpp.operator.model.Names;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/**
 * ConfigMap {@code NAME-endpoints}: key {@code endpoints.yaml}, the ready endpoints of every
 * Service the upstreams name. Mounted beside proxy.yaml; the pods watch it and swap their endpoint
 * sets without a reload. It carries no config hash and is not part of it: endpoints churn with
 * every rollout of a backend, the config does not.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR))
public class EndpointsConfigMapDependent
    extends CRUDKubernetesDependentResource<ConfigMap, ThreadPoolProxy> {
  public EndpointsConfigMapDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(ThreadPoolProxy tpp, Context<ThreadPoolProxy> context) {
    String namespace = tpp.getMetadata().getNamespace();
    String yaml =
        EndpointsRenderer.render(
            tpp,
            name -> context.getClient().services().inNamespace(namespace).withName(name).get(),
            name -> EndpointSliceWatch.slices(context, namespace, name));
    return new ConfigMapBuilder()
        .withMetadata(Names.metadata(tpp, Names.endpointsConfigMap(tpp)))
        .withData(Map.of(Names.ENDPOINTS_KEY, yaml))
        .build();
  }
}
