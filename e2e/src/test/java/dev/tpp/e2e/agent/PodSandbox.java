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
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the agent keeps for one pod bound to its node: the pod's loopback IP, its volumes under
 * {@code <state>/pods/<uid>/volumes/<name>}, the proxy process of its (single) container and the
 * last status it reported. ConfigMap and Secret volumes are re-read on every sync, as the kubelet's
 * periodic sync does; a changed one is swapped in atomically and, as in a real pod, nobody tells
 * the proxy: it notices the swap itself. A pod with Secret volumes runs in its own {@link
 * MountNamespace}, so the paths proxy.yaml names under {@code /etc/tpp/tls} are its volumes. Called
 * from the agent's sync thread only.
 */
final class PodSandbox {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  final String uid;
  final String ip;
  private final Path dir;
  private final Map<String, ConfigMapVolume> configMaps = new HashMap<>(); // volume name -> volume
  private final Map<String, ConfigMapVolume> secrets = new HashMap<>(); // volume name -> volume
  private final Map<String, String> sources = new HashMap<>(); // volume name -> Secret name
  // volume name -> its ConfigMaps (one, or the configMap sources of a projected volume, merged like
  // the kubelet does)
  private final Map<String, List<String>> configMapNames = new HashMap<>();
  private final ProxyProcess proxy;
  private final Container container;
  private final Instant startTime = Instant.now();
  private boolean ready;
  private boolean
      probeFailing; // a scenario's stand-in for an application that reports itself unready
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
        configMapNames.put(
            volume.getName(),
            volume.getProjected().getSources().stream()
                .filter(s -> s.getConfigMap() != null)
                .map(s -> s.getConfigMap().getName())
                .toList());
      } else if (volume.getSecret() != null) {
        secrets.put(volume.getName(), new ConfigMapVolume(host, StandardCharsets.ISO_8859_1));
        sources.put(volume.getName(), volume.getSecret().getSecretName());
      }
    }
    Map<String, Path> mounts = new LinkedHashMap<>();
    Map<String, Path> apiData =
        new LinkedHashMap<>(); // ConfigMap and Secret mounts, for the mount namespace
    for (VolumeMount mount : container.getVolumeMounts()) {
      mounts.put(mount.getMountPath(), volumeDirs.get(mount.getName()));
      if (configMaps.containsKey(mount.getName()) || secrets.containsKey(mount.getName())) {
        apiData.put(mount.getMountPath(), volumeDirs.get(mount.getName()));
      }
    }
    MountNamespace namespace = null;
    if (!secrets.isEmpty()) {
      nestedMountPoints(apiData);
      Files.createDirectories(dir.resolve("ns"));
      namespace = new MountNamespace(dir.resolve("ns"), apiData);
    }
    this.proxy = new ProxyProcess(dir, ip, mounts, namespace);
  }

  /**
   * Like the kubelet: a mountPath inside another volume's gets its directory in that volume, before
   * the mounts.
   */
  private static void nestedMountPoints(Map<String, Path> mounts) throws IOException {
    for (Map.Entry<String, Path> inner : mounts.entrySet()) {
      for (Map.Entry<String, Path> outer : mounts.entrySet()) {
        if (inner.getKey().startsWith(outer.getKey() + "/")) {
          Files.createDirectories(
              outer.getValue().resolve(inner.getKey().substring(outer.getKey().length() + 1)));
        }
      }
    }
  }

  /**
   * Brings volumes, process and readiness up to date; returns the status to report, or null when
   * already reported.
   */
  PodStatus sync(Pod pod, KubernetesClient client, Path proxyJar) throws IOException {
    // Like the kubelet: swap changed ConfigMaps and Secrets into the volume and signal nothing; the
    // proxy watches
    // ..data. A Secret not there yet keeps the container from starting (the kubelet's volume mount
    // waits too).
    for (Map.Entry<String, ConfigMapVolume> volume : configMaps.entrySet()) {
      Map<String, String> data = new HashMap<>();
      boolean any = false;
      for (String name : configMapNames.get(volume.getKey())) {
        ConfigMap cm =
            client.configMaps().inNamespace(pod.getMetadata().getNamespace()).withName(name).get();
        if (cm != null) { // a missing optional source adds nothing
          any = true;
          data.putAll(cm.getData() == null ? Map.of() : cm.getData());
        }
      }
      if (any) {
        volume.getValue().update(data);
      }
    }
    boolean secretsMounted = true;
    for (Map.Entry<String, ConfigMapVolume> volume : secrets.entrySet()) {
      Secret secret =
          client
              .secrets()
              .inNamespace(pod.getMetadata().getNamespace())
              .withName(sources.get(volume.getKey()))
              .get();
      if (secret != null) {
        volume.getValue().update(decode(secret.getData()));
      } else {
        secretsMounted &= volume.getValue().written();
      }
    }
    if (!proxy.started() && !secretsMounted) {
      return null;
    }
    if (!proxy.started()) {
      proxy.start(proxyJar, container.getArgs());
    } else if (!proxy.alive() && proxy.backoffOver()) {
      proxy.markRestart();
      proxy.start(proxyJar, container.getArgs());
    }
    boolean nowReady = proxy.alive() && !probeFailing && probe();
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

  /**
   * A Secret's data as the kubelet writes it: the decoded bytes, one char per byte (ISO-8859-1).
   */
  private static Map<String, String> decode(Map<String, String> data) {
    Map<String, String> files = new HashMap<>();
    if (data != null) {
      data.forEach(
          (k, v) ->
              files.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.ISO_8859_1)));
    }
    return files;
  }

  private boolean probe() {
    HTTPGetAction get =
        container.getReadinessProbe() == null ? null : container.getReadinessProbe().getHttpGet();
    String path = get == null ? "/readyz" : get.getPath();
    int port = get == null ? 9090 : port(get);
    try {
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + path))
                  .timeout(Duration.ofSeconds(1))
                  .build(),
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
    return container.getPorts().stream()
        .filter(p -> get.getPort().getStrVal().equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElse(9090);
  }

  private PodStatus status() {
    String readyTime = ts(readySince);
    return new PodStatusBuilder()
        .withPhase("Running")
        .withHostIP("127.0.0.1")
        .addNewHostIP("127.0.0.1")
        .withPodIP(ip)
        .addNewPodIP(ip)
        .withStartTime(ts(startTime))
        .withConditions(
            condition("PodScheduled", true, ts(startTime)),
            condition("Initialized", true, ts(startTime)),
            condition("ContainersReady", ready, readyTime),
            condition("Ready", ready, readyTime))
        .withContainerStatuses(
            new ContainerStatusBuilder()
                .withName(container.getName())
                .withImage(container.getImage())
                .withImageID("tpp-agent://local")
                .withContainerID("tpp-agent://" + proxy.pid())
                .withReady(ready)
                .withStarted(proxy.alive())
                .withRestartCount(proxy.restarts())
                .withNewState()
                .withNewRunning(proxy.startedAt() == null ? ts(startTime) : ts(proxy.startedAt()))
                .endState()
                .build())
        .build();
  }

  private static String ts(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static PodCondition condition(String type, boolean value, String since) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(value ? "True" : "False")
        .withLastTransitionTime(since)
        .build();
  }

  /** The status sync() returned reached the API server: stop sending it. */
  void reported() {
    reported = pendingReport;
  }

  long pid() {
    return proxy.pid();
  }

  /**
   * From now on the readiness probe fails (true) or is asked again (false); the process keeps
   * serving.
   */
  void failReadiness(boolean failing) {
    probeFailing = failing;
  }

  /**
   * Stops the pod as the kubelet does: the container's preStop {@code sleep} first (the process
   * keeps serving while endpoints and load balancers drop the pod), then SIGTERM and the drain,
   * probing readiness meanwhile (the first failed probe goes to {@code unready}, as the kubelet
   * reports a draining pod's Ready=False), and SIGKILL when the grace period (which counts from the
   * start, preStop included) runs out; then removes the pod's directory. Without {@code runPreStop}
   * (the pod vanished, or the agent shuts down) SIGTERM comes at once and nothing is reported.
   */
  void kill(long graceSeconds, boolean runPreStop, Consumer<PodStatus> unready) throws IOException {
    long preStop = runPreStop ? Math.min(graceSeconds, preStopSleepSeconds()) : 0;
    pause(preStop * 1000); // the preStop hook's sleep action, as the kubelet runs it
    proxy.terminate();
    Instant deadline = Instant.now().plusSeconds(Math.max(1, graceSeconds - preStop));
    boolean reported = !runPreStop;
    while (proxy.alive() && Instant.now().isBefore(deadline)) {
      if (!reported && !probe()) {
        ready = false;
        readySince = Instant.now();
        unready.accept(status());
        reported = true;
      }
      pause(100);
    }
    proxy.stop(1); // SIGKILL if the drain outlived the grace period
    ConfigMapVolume.deleteTree(dir);
  }

  private static void pause(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis); // the stopping pod's own thread: the preStop sleep and the probe period
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private long preStopSleepSeconds() {
    var lifecycle = container.getLifecycle();
    if (lifecycle == null
        || lifecycle.getPreStop() == null
        || lifecycle.getPreStop().getSleep() == null) {
      return 0;
    }
    Long seconds = lifecycle.getPreStop().getSleep().getSeconds();
    return seconds == null ? 0 : seconds;
  }
}
