package dev.tpp.e2e.agent;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stands in for the kubelet on this machine, which has no container runtime. It registers a Ready
 * Node (and renews its Lease in {@code kube-node-lease}), runs every pod the scheduler binds to it
 * as a local proxy process on its own address ({@link PodNetwork}: on the loopback device, outside
 * 127/8 so EndpointSlices accept it), materialises the pods' ConfigMap volumes the kubelet's way,
 * reports pod status (IP, Running, Ready from the pod's readiness probe) and, when a pod is
 * deleted, stops its process on a thread of its own and removes the pod object (the kubelet's final
 * grace-0 delete). Only pods of one {@code tpp-proxy} container run; others stay Pending. It
 * authenticates as {@code system:node:<name>}, so the Node authorizer and NodeRestriction judge
 * what it does. One sync thread does the rest, once a second.
 */
public final class NodeAgent implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger("tpp.e2e.agent");

  private final KubernetesClient client;
  private final String nodeName;
  private final Path stateDir;
  private final Path proxyJar;
  private final Map<String, PodSandbox> pods = new HashMap<>(); // by pod UID
  private final PodNetwork network = PodNetwork.detect();
  private final List<Thread> stoppers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ScheduledThreadPoolExecutor sync =
      new ScheduledThreadPoolExecutor(
          1,
          r -> {
            Thread t = new Thread(r, "node-agent-sync");
            t.setDaemon(true);
            return t;
          });
  private Instant lastHeartbeat = Instant.EPOCH;

  public NodeAgent(Path kubeconfig, String nodeName, Path stateDir, Path proxyJar)
      throws IOException {
    this.client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
            .build();
    this.nodeName = nodeName;
    this.stateDir = stateDir;
    this.proxyJar = proxyJar;
  }

  /** Registers the node and starts syncing. */
  public NodeAgent start() {
    register();
    sync.scheduleWithFixedDelay(this::syncSafely, 0, 1, TimeUnit.SECONDS);
    return this;
  }

  /**
   * The proxy PID running for a pod, or -1: lets scenarios check that a reload kept the same
   * process.
   */
  public synchronized long pidOf(String podUid) {
    PodSandbox pod = pods.get(podUid);
    return pod == null ? -1 : pod.pid();
  }

  /**
   * Makes a pod's readiness probe fail (or probe again), as an application that reports itself
   * unready would: the process keeps serving whoever still reaches it, only the pod's Ready
   * condition changes (next sync, within ~1 s).
   */
  public synchronized void failReadiness(String podUid, boolean failing) {
    PodSandbox pod = pods.get(podUid);
    if (pod == null) {
      throw new IllegalArgumentException("no pod " + podUid + " on this node");
    }
    pod.failReadiness(failing);
  }

  private void register() {
    Node node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(nodeName)
            .addToLabels("kubernetes.io/hostname", nodeName)
            .addToLabels("kubernetes.io/os", "linux")
            .endMetadata()
            .build();
    if (client.nodes().withName(nodeName).get() == null) {
      client.nodes().resource(node).create();
    }
    heartbeat();
  }

  private void heartbeat() {
    Instant now = Instant.now();
    Map<String, Quantity> capacity =
        Map.of(
            "cpu",
            new Quantity("16"),
            "memory",
            new Quantity("32Gi"),
            "pods",
            new Quantity("110"),
            "ephemeral-storage",
            new Quantity("100Gi"));
    // Status only: the node lifecycle controller owns spec.taints, and NodeRestriction refuses a
    // node that
    // sends them back.
    Node node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(nodeName)
            .endMetadata()
            .withNewStatus()
            .withCapacity(capacity)
            .withAllocatable(capacity)
            .addNewAddress("127.0.0.1", "InternalIP")
            .addNewAddress(nodeName, "Hostname")
            .withConditions(
                condition("Ready", "True", "KubeletReady", now),
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory", now),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", now),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", now))
            .endStatus()
            .build();
    client.nodes().resource(node).patchStatus();
    var leases = client.resources(Lease.class).inNamespace("kube-node-lease");
    Lease lease = leases.withName(nodeName).get();
    if (lease == null) {
      leases
          .resource(
              new LeaseBuilder()
                  .withNewMetadata()
                  .withName(nodeName)
                  .endMetadata()
                  .withNewSpec()
                  .withHolderIdentity(nodeName)
                  .withLeaseDurationSeconds(40)
                  .withRenewTime(now.atZone(ZoneOffset.UTC))
                  .endSpec()
                  .build())
          .create();
    } else {
      lease.getSpec().setRenewTime(now.atZone(ZoneOffset.UTC));
      leases.resource(lease).update();
    }
    lastHeartbeat = now;
  }

  private static NodeCondition condition(String type, String status, String reason, Instant now) {
    String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
    return new NodeConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withLastHeartbeatTime(time)
        .withLastTransitionTime(time)
        .build();
  }

  private void syncSafely() {
    try {
      syncOnce();
    } catch (RuntimeException | IOException e) {
      LOG.log(Level.WARNING, "sync failed: " + e, e);
    }
  }

  private synchronized void syncOnce() throws IOException {
    if (Instant.now().isAfter(lastHeartbeat.plusSeconds(10))) {
      heartbeat();
    }
    List<Pod> bound =
        client.pods().inAnyNamespace().withField("spec.nodeName", nodeName).list().getItems();
    Set<String> seen = new HashSet<>();
    for (Pod pod : bound) {
      String uid = pod.getMetadata().getUid();
      seen.add(uid);
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        terminate(pod);
        continue;
      }
      PodSandbox sandbox = pods.get(uid);
      if (sandbox == null && !runsProxy(pod)) {
        continue; // only proxy images can run here; anything else stays Pending, visibly
      }
      if (sandbox == null) {
        sandbox = new PodSandbox(pod, allocateIp(), stateDir);
        pods.put(uid, sandbox);
        LOG.info(() -> "pod " + pod.getMetadata().getName() + " -> " + pods.get(uid).ip);
      }
      PodStatus status = sandbox.sync(pod, client, proxyJar);
      if (status != null) {
        pod.setStatus(status);
        pod.getMetadata()
            .setResourceVersion(null); // last writer wins, as the kubelet's status manager
        client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).patchStatus();
        sandbox.reported();
      }
    }
    for (String uid : Set.copyOf(pods.keySet())) {
      if (!seen.contains(uid)) {
        remove(uid, 5);
      }
    }
  }

  private static boolean runsProxy(Pod pod) {
    return pod.getSpec().getContainers().size() == 1
        && pod.getSpec().getContainers().get(0).getImage().contains("tpp-proxy");
  }

  private String allocateIp() {
    return network.allocate();
  }

  /**
   * Whether the pods' IPs can be EndpointSlice addresses ({@link PodNetwork}): Services get
   * endpoints.
   */
  public boolean podIpsServeEndpoints() {
    return network.endpointsWork();
  }

  /**
   * A deleted pod stops on its own thread, as the kubelet's per-pod workers do: its drain (up to
   * the grace period) must not hold up the other pods' syncs — their ConfigMap updates and
   * readiness keep flowing meanwhile.
   */
  private void terminate(Pod pod) {
    String uid = pod.getMetadata().getUid();
    PodSandbox sandbox = pods.remove(uid);
    if (sandbox == null) {
      return; // already stopping (or never ran here)
    }
    long grace =
        pod.getMetadata().getDeletionGracePeriodSeconds() == null
            ? 30
            : pod.getMetadata().getDeletionGracePeriodSeconds();
    Thread stopper =
        new Thread(
            () -> {
              try {
                sandbox.kill(grace, true, status -> report(pod, status));
                client
                    .pods()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName())
                    .withGracePeriod(0)
                    .delete();
              } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "stopping pod " + pod.getMetadata().getName() + ": " + e, e);
              } finally {
                releaseIp(sandbox.ip);
              }
            },
            "node-agent-stop-" + pod.getMetadata().getName());
    stopper.setDaemon(true);
    stoppers.add(stopper);
    stopper.start();
  }

  /** A stopping pod's status (its Ready=False while it drains), from its stopper thread. */
  private void report(Pod pod, PodStatus status) {
    Pod update = new io.fabric8.kubernetes.api.model.PodBuilder(pod).withStatus(status).build();
    update.getMetadata().setResourceVersion(null);
    client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(update).patchStatus();
  }

  private synchronized void releaseIp(String ip) {
    network.release(ip);
  }

  private void remove(String uid, long graceSeconds) throws IOException {
    PodSandbox sandbox = pods.remove(uid);
    if (sandbox != null) {
      sandbox.kill(graceSeconds, false, status -> {});
      network.release(sandbox.ip);
    }
  }

  /**
   * Stops syncing and every proxy process (their pods stay in the API, as after a kubelet crash).
   */
  @Override
  public void close() {
    sync.shutdownNow();
    for (Thread stopper : stoppers) {
      try {
        stopper.join(35_000); // a deleted pod's drain, bounded by its grace period
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    stopAll();
  }

  private synchronized void stopAll() {
    for (String uid : Set.copyOf(pods.keySet())) {
      try {
        remove(uid, 10);
      } catch (IOException e) {
        LOG.warning("cleanup of " + uid + ": " + e);
      }
    }
    client.close();
  }

  /** Standalone: {@code NodeAgent KUBECONFIG NODE_NAME STATE_DIR PROXY_JAR}; runs until killed. */
  public static void main(String[] args) throws Exception {
    NodeAgent agent =
        new NodeAgent(Path.of(args[0]), args[1], Path.of(args[2]), Path.of(args[3])).start();
    Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "node-agent-stop"));
    new java.util.concurrent.CountDownLatch(1).await();
  }
}
