package dev.tpp.operator.model;

import dev.tpp.crds.ListenerSpec;
import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.crds.ThreadPoolProxySpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The proxy pod template. Only pod-level inputs reach it (image, resources, ports, rule ConfigMap
 * and TLS Secret mounts by name, drain time, {@code spec.pod} through {@link PodPlacement}):
 * everything the proxy hot-reloads lives in the ConfigMap, and the config hash is deliberately
 * absent, so a pools/routes/WAF change never rolls the pods. Pure.
 */
public final class PodTemplateRenderer {
  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final int DEFAULT_ADMIN_PORT = 9090;

  private PodTemplateRenderer() {}

  /** The pod template for {@code tpp}, running {@code image}. */
  public static PodTemplateSpec render(ThreadPoolProxy tpp, String image) {
    ThreadPoolProxySpec spec = tpp.getSpec() == null ? new ThreadPoolProxySpec() : tpp.getSpec();
    int admin = adminPort(spec);
    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    volumes.add(configVolume(tpp));
    mounts.add(mount("config", Names.CONFIG_DIR, true));
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    mounts.add(mount("tmp", "/tmp", false));
    if (spec.waf != null && spec.waf.ruleConfigMaps != null) {
      // by position: a ConfigMap name may hold dots, which a volume name may not
      for (int i = 0; i < spec.waf.ruleConfigMaps.size(); i++) {
        String name = spec.waf.ruleConfigMaps.get(i);
        volumes.add(configMapVolume("rules-" + i, name));
        mounts.add(mount("rules-" + i, Names.ruleDir(name), true));
      }
    }
    if (spec.tls != null) {
      // by position, like the rule ConfigMaps; only the Secret's name is here, never its content,
      // so a renewal
      // changes the mounted files (the kubelet swaps the volume's ..data link) and not this
      // template
      for (int i = 0; i < spec.tls.size(); i++) {
        String secret = spec.tls.get(i).secretName;
        volumes.add(
            new VolumeBuilder()
                .withName("tls-" + i)
                .withNewSecret()
                .withSecretName(secret)
                .endSecret()
                .build());
        mounts.add(mount("tls-" + i, Names.tlsDir(secret), true));
      }
    }
    PodSpecBuilder pod =
        new PodSpecBuilder()
            .withTerminationGracePeriodSeconds(PodPlacement.gracePeriodSeconds(spec))
            .withEnableServiceLinks(false)
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .withContainers(container(spec, image, mounts))
            .withVolumes(volumes);
    PodPlacement.place(tpp, spec, pod);
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(PodPlacement.labels(tpp, spec))
        .withAnnotations(
            PodPlacement.annotations(
                spec,
                Map.of(
                    "prometheus.io/scrape", "true",
                    "prometheus.io/port", Integer.toString(admin),
                    "prometheus.io/path", "/metrics")))
        .endMetadata()
        .withSpec(pod.build())
        .build();
  }

  public static int httpPort(ThreadPoolProxySpec spec) {
    return port(spec.listen, DEFAULT_HTTP_PORT);
  }

  public static int adminPort(ThreadPoolProxySpec spec) {
    return port(spec.admin, DEFAULT_ADMIN_PORT);
  }

  private static int port(ListenerSpec listener, int fallback) {
    return listener == null || listener.port == null ? fallback : listener.port;
  }

  private static Container container(
      ThreadPoolProxySpec spec, String image, List<VolumeMount> mounts) {
    List<ContainerPort> ports = new ArrayList<>();
    ports.add(port("http", httpPort(spec)));
    if (HttpsListenerRenderer.enabled(spec)) {
      ports.add(port(HttpsListenerRenderer.NAME, HttpsListenerRenderer.PORT));
    }
    ports.add(port("admin", adminPort(spec)));
    return new ContainerBuilder()
        .withName("proxy")
        .withImage(spec.image != null ? spec.image : image)
        .withArgs("--config", Names.CONFIG_DIR + "/" + Names.CONFIG_KEY)
        .withPorts(ports)
        .withLivenessProbe(probe("/healthz", 3))
        .withReadinessProbe(probe("/readyz", 1))
        .withLifecycle(PodPlacement.lifecycle(spec))
        .withResources(spec.resources)
        .withVolumeMounts(mounts)
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .build();
  }

  private static ContainerPort port(String name, int port) {
    return new ContainerPortBuilder()
        .withName(name)
        .withContainerPort(port)
        .withProtocol("TCP")
        .build();
  }

  private static Probe probe(String path, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withNewPort("admin")
        .endHttpGet()
        .withPeriodSeconds(5)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  /**
   * proxy.yaml and endpoints.yaml in one directory (a projected volume: both swap atomically
   * through {@code ..data}, as the proxy's watchers expect). The endpoints ConfigMap is optional: a
   * pod may start before it exists.
   */
  private static Volume configVolume(ThreadPoolProxy tpp) {
    return new VolumeBuilder()
        .withName("config")
        .withNewProjected()
        .addNewSource()
        .withNewConfigMap()
        .withName(Names.configMap(tpp))
        .endConfigMap()
        .endSource()
        .addNewSource()
        .withNewConfigMap()
        .withName(Names.endpointsConfigMap(tpp))
        .withOptional(true)
        .endConfigMap()
        .endSource()
        .endProjected()
        .build();
  }

  private static Volume configMapVolume(String volume, String configMap) {
    return new VolumeBuilder()
        .withName(volume)
        .withNewConfigMap()
        .withName(configMap)
        .endConfigMap()
        .build();
  }

  private static VolumeMount mount(String volume, String path, boolean readOnly) {
    return new VolumeMountBuilder()
        .withName(volume)
        .withMountPath(path)
        .withReadOnly(readOnly)
        .build();
  }
}
