package dev.tpp.operator.dependent;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.model.Names;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/**
 * ConfigMap {@code NAME-config}: the checked proxy.yaml under key {@code proxy.yaml}; pods
 * hot-reload it.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_BY_SELECTOR))
public class ConfigMapDependent
    extends CRUDKubernetesDependentResource<ConfigMap, ThreadPoolProxy> {
  public static final String HASH_ANNOTATION = "tpp.dev/config-hash";

  public ConfigMapDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(ThreadPoolProxy tpp, Context<ThreadPoolProxy> context) {
    DesiredState state = DesiredState.of(context);
    return new ConfigMapBuilder()
        .withMetadata(Names.metadata(tpp, Names.configMap(tpp)))
        .editMetadata()
        .withAnnotations(Map.of(HASH_ANNOTATION, state.config().hash()))
        .endMetadata()
        .withData(Map.of(Names.CONFIG_KEY, state.config().yaml()))
        .build();
  }
}
