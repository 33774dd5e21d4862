package dev.tpp.e2e.cluster;

import dev.tpp.e2e.agent.NodeAgent;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The shared e2e environment, set up once per test run on the control plane {@code
 * e2e/cluster/up.sh} started: the node agent (standing in for the kubelet), the operator installed
 * the way a user would ({@code helm install} of the chart: CRD, ServiceAccount, RBAC) and running
 * as a local process that authenticates with a real token of its ServiceAccount, so RBAC judges
 * every call it makes. Closed after the last scenario: the operator and the proxies stop, the
 * cluster keeps running until {@code down.sh}.
 */
public final class E2ECluster implements AutoCloseable {
  public static final String OPERATOR_NAMESPACE = "tpp-system";
  public static final String NODE = "tpp-node";
  private static final Logger LOG = Logger.getLogger("tpp.e2e");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public final Path state =
      Path.of(System.getProperty("e2e.state", System.getProperty("java.io.tmpdir") + "/tpp-e2e"));
  public final Path root =
      Path.of(System.getProperty("e2e.root", "..")).toAbsolutePath().normalize();
  public final Kubectl kubectl = new Kubectl(state.resolve("kubeconfig"), root);
  public final KubernetesClient client;
  public final NodeAgent agent;
  public static final String OPERATOR_SA = "system:serviceaccount:tpp-system:tpp-operator";
  public final Duration installTime;

  /** The helm binary build.sh made ({@code -De2e.helm}, which e2e.sh sets from versions.sh). */
  public final String helm =
      System.getProperty(
          "e2e.helm", System.getProperty("user.home") + "/.cache/tpp/helm-v3.22.0/helm");

  /** Whether the chart's RBAC alone lets the operator's leader election PATCH its Lease. */
  public boolean chartGrantsLeasePatch;

  public Kubectl.Result helmInstall;
  private final int operatorPort;
  private Process operator;

  private E2ECluster() throws Exception {
    Instant t0 = Instant.now();
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(state.resolve("kubeconfig"))))
            .build();
    agent =
        new NodeAgent(
                state.resolve("node.kubeconfig"),
                NODE,
                state.resolve("agent"),
                root.resolve("proxy/target/tpp-proxy.jar"))
            .start();
    await(
        Duration.ofSeconds(60),
        "node " + NODE + " Ready",
        () -> client.nodes().withName(NODE).get() != null);
    installOperator();
    operatorPort = freePort();
    startOperator();
    installTime = Duration.between(t0, Instant.now());
    LOG.info("e2e environment ready in " + installTime.toMillis() + " ms");
  }

  /** JUnit extension: one E2ECluster for the whole run, injected as a parameter. */
  public static final class Extension implements BeforeAllCallback, ParameterResolver {
    @Override
    public void beforeAll(ExtensionContext context) {
      cluster(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
      return p.getParameter().getType() == E2ECluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
      return cluster(e);
    }

    private static E2ECluster cluster(ExtensionContext context) {
      return context
          .getRoot()
          .getStore(ExtensionContext.Namespace.GLOBAL)
          .computeIfAbsent(
              E2ECluster.class,
              k -> {
                try {
                  return new E2ECluster();
                } catch (Exception e) {
                  throw new IllegalStateException(
                      "e2e environment: "
                          + e.getMessage()
                          + " (is the control plane up? make e2e-cluster-up)",
                      e);
                }
              },
              E2ECluster.class);
    }
  }

  /**
   * Scenario 1's install: {@code helm install} of helm/threadpoolproxy (CRD, ServiceAccount, RBAC)
   * with the operator Deployment at zero replicas — this process runs the operator instead, with
   * that ServiceAccount's token.
   */
  private void installOperator() {
    helmInstall =
        kubectl.run(
            List.of(
                helm,
                "--kubeconfig",
                state.resolve("kubeconfig").toString(),
                "install",
                "tpp-operator",
                "helm/threadpoolproxy",
                "-n",
                OPERATOR_NAMESPACE,
                "--create-namespace",
                "--set",
                "operator.replicas=0",
                "--set",
                "fullnameOverride=tpp-operator",
                "--wait=false"));
    helmInstall.ok();
    kubectl
        .kubectl(
            "wait", "--for=condition=Established", "crd/threadpoolproxies.tpp.dev", "--timeout=60s")
        .ok();
    chartGrantsLeasePatch =
        canI("patch", "leases.coordination.k8s.io/tpp-operator", "-n", OPERATOR_NAMESPACE);
  }

  /** {@code kubectl auth can-i} as the operator's ServiceAccount. */
  public boolean canI(String... args) {
    List<String> command = new ArrayList<>(List.of("auth", "can-i", "--as", OPERATOR_SA));
    command.addAll(List.of(args));
    return kubectl.kubectl(command.toArray(String[]::new)).output().trim().equals("yes");
  }

  private void startOperator() throws Exception {
    String token =
        kubectl
            .kubectl("-n", OPERATOR_NAMESPACE, "create", "token", "tpp-operator", "--duration=3h")
            .ok()
            .output()
            .trim();
    Path config = state.resolve("operator.kubeconfig");
    Files.copy(
        state.resolve("kubeconfig"), config, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Kubectl asOperator = new Kubectl(config, root);
    asOperator.kubectl("config", "set-credentials", "operator", "--token", token).ok();
    asOperator.kubectl("config", "set-context", "e2e", "--user", "operator").ok();
    Path log = Files.createDirectories(state.resolve("logs")).resolve("operator.log");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                root.resolve("operator/target/tpp-operator.jar").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("KUBECONFIG", config.toString());
    pb.environment().put("OPERATOR_NAMESPACE", OPERATOR_NAMESPACE);
    pb.environment().put("METRICS_PORT", Integer.toString(operatorPort));
    pb.environment().put("WATCH_NAMESPACES", "");
    operator = pb.start();
    await(Duration.ofSeconds(120), "operator /healthz (log: " + log + ")", () -> operatorHealthy());
  }

  /** The control plane's API server, to stop and start again (chaos). */
  public ApiServerProcess apiServer() {
    return new ApiServerProcess(state);
  }

  /**
   * Chaos: SIGKILL the operator (no shutdown hook, no lease release), as an OOM kill or a node loss
   * would.
   */
  public void killOperator() throws InterruptedException {
    operator.destroyForcibly();
    operator.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  /**
   * Starts the operator again if its process is gone, as the operator Deployment's restartPolicy
   * would (it exits when it loses its leader lease); returns whether it had to.
   */
  public boolean restartOperatorIfGone() throws Exception {
    if (operator.isAlive()) {
      return false;
    }
    startOperator();
    return true;
  }

  /**
   * Scenario 7: SIGTERM the operator, wait for it to exit, start a new process with the same
   * identity.
   */
  public void restartOperator() throws Exception {
    operator.destroy();
    if (!operator.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      operator.destroyForcibly().waitFor();
    }
    startOperator();
  }

  public boolean operatorHealthy() {
    return operator.isAlive()
        && httpGet("http://127.0.0.1:" + operatorPort + "/healthz").status() == 200;
  }

  public long operatorPid() {
    return operator.pid();
  }

  /** Status and body of one GET; status 0 when the connection failed. */
  public record Reply(int status, String body) {}

  public static Reply httpGet(String url) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body());
    } catch (IOException e) {
      return new Reply(0, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply(0, e.toString());
    }
  }

  /** Polls {@code condition} every 250 ms until it holds or {@code limit} passes. */
  public static void await(Duration limit, String what, BooleanSupplier condition) {
    Instant end = Instant.now().plus(limit);
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        if (Instant.now().isAfter(end)) {
          throw new AssertionError("waiting for " + what + ": " + e, e);
        }
      }
      if (Instant.now().isAfter(end)) {
        throw new AssertionError("not within " + limit.toSeconds() + "s: " + what);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * Runs after the last scenario: proxies and operator stop; the control plane is down.sh's to
   * stop.
   */
  @Override
  public void close() {
    if (operator != null) {
      operator.destroy();
    }
    agent.close();
    client.close();
  }

  /** Lists a namespace's objects for failure messages. */
  public String describe(String namespace) {
    return kubectl
        .kubectl("-n", namespace, "get", "tpp,deploy,rs,pods,cm,svc,pdb", "-o", "wide")
        .output();
  }
}
