package dev.tpp.e2e.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.e2e.cluster.E2ECluster;
import dev.tpp.e2e.cluster.Kubectl;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TLS from a Secret: deploy/examples/tls.yaml (a ThreadPoolProxy with spec.tls, a cert-manager
 * Issuer and Certificate, accepted by cert-manager's real CRDs) with the kubernetes.io/tls Secret
 * made here by openssl, as no cert-manager controller runs. Each pod answers HTTPS with that
 * certificate (curl --cacert); the Secret is replaced and openssl s_client sees the new serial on
 * every pod: same pods, same PIDs, same pod template and config hash.
 */
@ExtendWith(E2ECluster.Extension.class)
@Order(8)
class TlsE2E {
  private static final Logger LOG = Logger.getLogger(TlsE2E.class.getName());
  private static final String NS = "tls-e2e";
  private static final String HOST = "shop.example.com";

  @Test
  void httpsFromASecretThenARenewalReachesTheSameProcesses(E2ECluster cluster) throws Exception {
    Path certs = Files.createTempDirectory(cluster.state, "tls-e2e");
    cluster.kubectl.kubectl("create", "namespace", NS);
    cluster.kubectl.kubectl("-n", NS, "apply", "-f", "deploy/examples/tls.yaml").ok();
    Tpp shop = new Tpp(cluster.client, NS, "shop");
    E2ECluster.await(
        Duration.ofSeconds(60),
        "ConfigValid=False naming the missing Secret",
        () ->
            shop.condition("ConfigValid")
                .map(
                    c ->
                        String.valueOf(c.get("message"))
                            .contains("spec.tls[0].secretName: Secret shop-tls not found"))
                .orElse(false));
    assertEquals(
        null,
        cluster.client.apps().deployments().inNamespace(NS).withName("shop").get(),
        "nothing rolls out without the Secret");

    String first = secret(cluster.kubectl, certs, "first");
    E2ECluster.await(
        Duration.ofSeconds(150),
        "2 ready pods\n" + cluster.describe(NS),
        () -> shop.readyPods().size() == 2);
    var service = cluster.client.services().inNamespace(NS).withName("shop").get();
    assertTrue(
        service.getSpec().getPorts().stream()
            .anyMatch(p -> p.getPort() == 443 && "https".equals(p.getName())));
    for (Pod pod : shop.readyPods()) {
      String ip = pod.getStatus().getPodIP();
      var curl =
          cluster.kubectl.run(
              List.of(
                  "curl",
                  "-sS",
                  "--max-time",
                  "10",
                  "--cacert",
                  certs.resolve("first.crt").toString(),
                  "--resolve",
                  HOST + ":8443:" + ip,
                  "https://" + HOST + ":8443/hello"));
      assertEquals("hello over TLS\n", curl.ok().output(), "pod " + ip);
      assertEquals(first, serial(cluster.kubectl, ip));
      var plain = E2ECluster.httpGet("http://" + ip + ":8080/hello");
      assertEquals(308, plain.status(), "plain HTTP is redirected to https");
    }
    Map<String, Long> pids = pids(cluster, shop.readyPods());
    var template =
        cluster
            .client
            .apps()
            .deployments()
            .inNamespace(NS)
            .withName("shop")
            .get()
            .getSpec()
            .getTemplate();
    Object hash = shop.status().get("configHash");

    String second = secret(cluster.kubectl, certs, "second");
    assertNotEquals(first, second);
    long start = System.nanoTime();
    E2ECluster.await(
        Duration.ofSeconds(60),
        "every pod serves serial " + second,
        () ->
            shop.readyPods().stream()
                .allMatch(p -> second.equals(serial(cluster.kubectl, p.getStatus().getPodIP()))));
    LOG.info(
        () ->
            "TLS: serial "
                + first
                + " -> "
                + second
                + " on 2 pods in "
                + Duration.ofNanos(System.nanoTime() - start).toMillis()
                + " ms, no restart");
    assertEquals(pids, pids(cluster, shop.readyPods()), "same pods, same proxy processes");
    assertEquals(
        template,
        cluster
            .client
            .apps()
            .deployments()
            .inNamespace(NS)
            .withName("shop")
            .get()
            .getSpec()
            .getTemplate());
    assertEquals(hash, shop.status().get("configHash"));
    assertTrue(shop.conditionIs("ConfigValid", "True"));
    cluster.kubectl.kubectl("delete", "namespace", NS, "--wait=false");
  }

  /**
   * A new key and self-signed certificate for the example's names, applied as Secret shop-tls; its
   * serial.
   */
  private static String secret(Kubectl kubectl, Path dir, String name) {
    String crt = dir.resolve(name + ".crt").toString();
    String key = dir.resolve(name + ".key").toString();
    kubectl
        .run(
            List.of(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=" + HOST,
                "-addext",
                "subjectAltName=DNS:" + HOST + ",DNS:www." + HOST,
                "-keyout",
                key,
                "-out",
                crt))
        .ok();
    String yaml =
        kubectl
            .kubectl(
                "-n",
                NS,
                "create",
                "secret",
                "tls",
                "shop-tls",
                "--cert",
                crt,
                "--key",
                key,
                "--dry-run=client",
                "-o",
                "yaml")
            .ok()
            .output();
    kubectl.apply(NS, yaml).ok();
    return kubectl
        .run(List.of("openssl", "x509", "-in", crt, "-noout", "-serial"))
        .ok()
        .output()
        .trim();
  }

  /** The serial of the certificate a pod's https port presents for the example's host (SNI). */
  private static String serial(Kubectl kubectl, String ip) {
    return kubectl
        .run(
            List.of(
                "sh",
                "-c",
                "openssl s_client -connect "
                    + ip
                    + ":8443 -servername "
                    + HOST
                    + " </dev/null 2>/dev/null | openssl x509 -noout -serial"))
        .output()
        .trim();
  }

  private static Map<String, Long> pids(E2ECluster cluster, List<Pod> pods) {
    return pods.stream()
        .collect(
            Collectors.toMap(
                p -> p.getMetadata().getUid(), p -> cluster.agent.pidOf(p.getMetadata().getUid())));
  }
}
