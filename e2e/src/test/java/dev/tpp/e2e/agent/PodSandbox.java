package dev.tpp.e2e.agent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the agent keeps for one pod bound to its node: the pod's loopback IP, its volumes under
 * {@code <state>/pods/<uid>/volumes/<name>}, the proxy process of its (single) container and the last status it
 * reported. ConfigMap volumes are re-read on every sync, as the kubelet's periodic sync does; a changed ConfigMap
 * is swapped in atomically and, as in a real pod, nobody tells the proxy: it notices the swap itself. Called from the agent's sync thread only.
 */
final class PodSandbox {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  final String uid;
  final String ip;
  private final Path dir;
  private final Map<String, ConfigMapVolume> configMaps = new HashMap<>(); // volume name -> volume
  // volume name -> its ConfigMaps (one, or the configMap sources of a projected volume, merged like the kubelet does)
  private final Map<String, List<String>> configMapNames = new HashMap<>();
  private final ProxyProcess proxy;
  private final Container container;
  private final Instant startTime = Instant.now();
  private boolean ready;
  private Instant readySince = Instant.now();
  private String reported = "";
  private String pendingReport = "";

  PodSandbox(Pod pod, String ip, Path stateDir) throws IOException {
    this.uid = pod.getMetadata().getUid();
    this.ip = ip;
    this.dir = stateDir.resolve("pods").resolve(uid);
    this.container = pod.getSpec().getContainers().get(0);
    Map<String, Path> volumeDirs = new HashMap<>();
    for (Volume volume : pod.getSpec().getVolumes()) {
      Path host = dir.resolve("volumes").resolve(volume.getName());
      Files.createDirectories(host);
      volumeDirs.put(volume.getName(), host);
      if (volume.getConfigMap() != null) {
        configMaps.put(volume.getName(), new ConfigMapVolume(host));
        configMapNames.put(volume.getName(), List.of(volume.getConfigMap().getName()));
      } else if (volume.getProjected() != null) {
        configMaps.put(volume.getName(), new ConfigMapVolume(host));
        configMapNames.put(volume.getName(), volume.getProjected().getSources().stream()
            .filter(s -> s.getConfigMap() != null).map(s -> s.getConfigMap().getName()).toList());
      }
    }
    Map<String, Path> mounts = new LinkedHashMap<>();
    for (VolumeMount mount : container.getVolumeMounts()) {
      mounts.put(mount.getMountPath(), volumeDirs.get(mount.getName()));
    }
    this.proxy = new ProxyProcess(dir, ip, mounts);
  }

  /** Brings volumes, process and readiness up to date; returns the status to report, or null when already reported. */
  PodStatus sync(Pod pod, KubernetesClient client, Path proxyJar) throws IOException {
    // Like the kubelet: swap changed ConfigMaps into the volume and signal nothing; the proxy watches ..data.
    for (Map.Entry<String, ConfigMapVolume> volume : configMaps.entrySet()) {
      Map<String, String> data = new HashMap<>();
      boolean any = false;
      for (String name : configMapNames.get(volume.getKey())) {
        ConfigMap cm = client.configMaps().inNamespace(pod.getMetadata().getNamespace()).withName(name).get();
        if (cm != null) { // a missing optional source adds nothing
          any = true;
          data.putAll(cm.getData() == null ? Map.of() : cm.getData());
        }
      }
      if (any) {
        volume.getValue().update(data);
      }
    }
    if (!proxy.started()) {
      proxy.start(proxyJar, container.getArgs());
    } else if (!proxy.alive() && proxy.backoffOver()) {
      proxy.markRestart();
      proxy.start(proxyJar, container.getArgs());
    }
    boolean nowReady = proxy.alive() && probe();
    if (nowReady != ready) {
      ready = nowReady;
      readySince = Instant.now();
    }
    PodStatus status = status();
    String key = ready + "/" + proxy.pid() + "/" + proxy.restarts();
    if (key.equals(reported)) {
      return null;
    }
    pendingReport = key;
    return status;
  }

  private boolean probe() {
    HTTPGetAction get = container.getReadinessProbe() == null ? null : container.getReadinessProbe().getHttpGet();
    String path = get == null ? "/readyz" : get.getPath();
    int port = get == null ? 9090 : port(get);
    try {
      HttpResponse<Void> response = HTTP.send(
          HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + path)).timeout(Duration.ofSeconds(1)).build(),
          HttpResponse.BodyHandlers.discarding());
      return response.statusCode() >= 200 && response.statusCode() < 400;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private int port(HTTPGetAction get) {
    if (get.getPort().getIntVal() != null) {
      return get.getPort().getIntVal();
    }
    return container.getPorts().stream().filter(p -> get.getPort().getStrVal().equals(p.getName()))
        .map(ContainerPort::getContainerPort).findFirst().orElse(9090);
  }

  private PodStatus status() {
    String readyTime = ts(readySince);
    return new PodStatusBuilder()
        .withPhase("Running")
        .withHostIP("127.0.0.1").addNewHostIP("127.0.0.1")
        .withPodIP(ip).addNewPodIP(ip)
        .withStartTime(ts(startTime))
        .withConditions(condition("PodScheduled", true, ts(startTime)),
            condition("Initialized", true, ts(startTime)),
            condition("ContainersReady", ready, readyTime), condition("Ready", ready, readyTime))
        .withContainerStatuses(new ContainerStatusBuilder()
            .withName(container.getName()).withImage(container.getImage()).withImageID("tpp-agent://local")
            .withContainerID("tpp-agent://" + proxy.pid()).withReady(ready).withStarted(proxy.alive())
            .withRestartCount(proxy.restarts())
            .withNewState().withNewRunning(proxy.startedAt() == null ? ts(startTime) : ts(proxy.startedAt())).endState()
            .build())
        .build();
  }

  private static String ts(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static PodCondition condition(String type, boolean value, String since) {
    return new PodConditionBuilder().withType(type).withStatus(value ? "True" : "False")
        .withLastTransitionTime(since).build();
  }

  /** The status sync() returned reached the API server: stop sending it. */
  void reported() {
    reported = pendingReport;
  }

  long pid() {
    return proxy.pid();
  }

  /** Stops the proxy (SIGTERM, drain, SIGKILL after the grace period) and removes the pod's directory. */
  void kill(long graceSeconds) throws IOException {
    proxy.stop(graceSeconds);
    ConfigMapVolume.deleteTree(dir);
  }
}
