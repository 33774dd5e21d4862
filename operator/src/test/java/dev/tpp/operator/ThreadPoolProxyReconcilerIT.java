package dev.tpp.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import dev.tpp.crds.PoolSpec;
import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.autoscale.Autoscaler;
import dev.tpp.operator.autoscale.BlockHistogram;
import dev.tpp.operator.autoscale.PodScraper;
import dev.tpp.operator.dependent.ConfigMapDependent;
import dev.tpp.operator.dependent.OperatorSettings;
import dev.tpp.operator.model.Fixtures;
import dev.tpp.operator.model.TlsSecretData;
import dev.tpp.operator.status.FleetObserver;
import dev.tpp.operator.status.StatusBuilder;
import dev.tpp.operator.status.StatusMetrics;
import dev.tpp.operator.validation.RuleConfigMapWatch;
import dev.tpp.operator.validation.SpecValidator;
import dev.tpp.operator.validation.TlsSecretWatch;
import dev.tpp.waf.engine.WafCompileException;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real reconciler and JOSDK against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class ThreadPoolProxyReconcilerIT {
  static final String NS = "test";
  static final String SPEC =
      """
      replicas: 2
      pools: [{name: waf, threads: 4, maxQueue: 16}]
      upstreams: [{name: app, service: {name: backend, port: 8080}}]
      routes: [{path: /, upstream: app}]
      waf: {enabled: true, pool: waf, rules: 'SecRule ARGS "@rx x" "id:1,phase:2,deny"'}
      """;
  static KubernetesClient client;
  Operator operator;
  PrometheusMeterRegistry registry;
  volatile PodScraper pods = (targets, withMetrics) -> List.of();

  @BeforeEach
  void startOperator() throws Exception {
    client
        .resource(
            client
                .getKubernetesSerialization()
                .unmarshal(
                    Files.readString(Path.of("../crds/threadpoolproxies.tpp.dev-v1.yml")),
                    CustomResourceDefinition.class))
        .createOr(NonDeletingOperation::update);
    // The mock API server cannot create objects through server-side apply (PATCH of a missing
    // object): the test
    // runs JOSDK's classic create/update and merge-patched status; production keeps JOSDK 5's SSA
    // defaults.
    operator = newOperator();
    operator.start();
  }

  /**
   * The real reconciler on a new Operator (not started), with the test's validator, scraper and
   * registry.
   */
  Operator newOperator() {
    registry = OperatorMetrics.registry();
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withMetrics(OperatorMetrics.josdk(registry))
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withUseSSAToPatchPrimaryResource(false));
    SpecValidator validator =
        new SpecValidator(
            sources -> {
              if (sources.stream().anyMatch(s -> s.text().contains("BROKEN"))) {
                throw new WafCompileException("spec.waf.rules line 1: unknown directive BROKEN");
              }
              if (sources.stream().anyMatch(s -> s.text().contains("CRASH"))) {
                throw new IllegalStateException("rule compiler crashed");
              }
            });
    var fleet =
        new FleetObserver(
            (targets, withMetrics) -> pods.scrape(targets, withMetrics), new Autoscaler());
    operator.register(
        new ThreadPoolProxyReconciler(
            validator,
            fleet,
            new OperatorSettings("tpp:test", "http://p"),
            new StatusMetrics(registry)),
        c -> c.settingNamespace(NS));
    return operator;
  }

  @AfterEach
  void stopOperator() {
    operator.stop();
  }

  @Test
  void createsOwnedObjectsWithOwnerReferencesAndStatus() {
    ThreadPoolProxy tpp = client.resource(Fixtures.proxy("web", NS, SPEC)).create();
    ConfigMap cm = await(() -> client.configMaps().inNamespace(NS).withName("web-config").get());
    assertTrue(cm.getData().get("proxy.yaml").contains("backend.test.svc.cluster.local:8080"));
    Deployment deployment =
        await(() -> client.apps().deployments().inNamespace(NS).withName("web").get());
    assertEquals(2, deployment.getSpec().getReplicas());
    assertEquals(
        "tpp:test", deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    var service = await(() -> client.services().inNamespace(NS).withName("web").get());
    assertEquals(List.of(80), service.getSpec().getPorts().stream().map(p -> p.getPort()).toList());
    var metrics = await(() -> client.services().inNamespace(NS).withName("web-metrics").get());
    assertEquals(
        List.of("admin:9090"),
        metrics.getSpec().getPorts().stream().map(p -> p.getName() + ":" + p.getPort()).toList());
    await(() -> client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("web").get());
    for (var owned : List.of(cm, deployment, service, metrics)) {
      assertEquals(
          tpp.getMetadata().getUid(), owned.getMetadata().getOwnerReferences().get(0).getUid());
      assertEquals(
          "tpp-operator", owned.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
    }
    ThreadPoolProxy done = await(() -> withCondition("web", "ConfigValid", "True"));
    assertEquals(
        cm.getMetadata().getAnnotations().get(ConfigMapDependent.HASH_ANNOTATION),
        done.getStatus().configHash);
    assertEquals(
        "app.kubernetes.io/instance=web,app.kubernetes.io/name=threadpoolproxy",
        done.getStatus().selector);
  }

  @Test
  void poolsWafAndRoutesChangesOnlyTouchTheConfigMap() {
    client.resource(Fixtures.proxy("hot", NS, SPEC)).create();
    String firstHash =
        await(() -> withCondition("hot", "ConfigValid", "True")).getStatus().configHash;
    var template =
        await(() -> client.apps().deployments().inNamespace(NS).withName("hot").get())
            .getSpec()
            .getTemplate();
    editProxy(
        "hot",
        t -> {
          t.getSpec().pools.add(new PoolSpec("files", 8, 64, PoolSpec.Overflow.reject));
          t.getSpec().pools.get(0).threads = 16;
          t.getSpec().waf.rules = "SecRule ARGS \"@rx y\" \"id:2,phase:2,deny\"";
          t.getSpec().routes.get(0).path = "/api/";
          return t;
        });
    ConfigMap cm =
        await(
            () -> {
              ConfigMap c = client.configMaps().inNamespace(NS).withName("hot-config").get();
              return c.getData().get("proxy.yaml").contains("files") ? c : null;
            });
    assertNotEquals(
        firstHash, cm.getMetadata().getAnnotations().get(ConfigMapDependent.HASH_ANNOTATION));
    assertEquals(
        template,
        client.apps().deployments().inNamespace(NS).withName("hot").get().getSpec().getTemplate());
  }

  @Test
  void invalidSpecKeepsLastGoodConfigAndSaysWhy() {
    client.resource(Fixtures.proxy("bad", NS, SPEC)).create();
    await(() -> withCondition("bad", "ConfigValid", "True"));
    String good =
        client
            .configMaps()
            .inNamespace(NS)
            .withName("bad-config")
            .get()
            .getData()
            .get("proxy.yaml");
    editProxy(
        "bad",
        t -> {
          t.getSpec().pools.get(0).maxQueue = -1;
          t.getSpec().replicas = 5;
          return t;
        });
    ThreadPoolProxy invalid = await(() -> withCondition("bad", "ConfigValid", "False"));
    Condition condition =
        invalid.getStatus().conditions.stream()
            .filter(c -> c.getType().equals("ConfigValid"))
            .findFirst()
            .orElseThrow();
    assertTrue(condition.getMessage().contains("spec.pools[0].maxQueue"), condition.getMessage());
    assertEquals(
        good,
        client
            .configMaps()
            .inNamespace(NS)
            .withName("bad-config")
            .get()
            .getData()
            .get("proxy.yaml"));
    assertEquals(
        2,
        client.apps().deployments().inNamespace(NS).withName("bad").get().getSpec().getReplicas());
    await(
        () ->
            client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(
                    e ->
                        e.getReason().equals("InvalidConfig")
                            && e.getInvolvedObject().getName().equals("bad"))
                .findFirst()
                .orElse(null));
  }

  @Test
  void invalidWafRulesAreRejectedBeforeTheyShip() {
    client.resource(Fixtures.proxy("rules", NS, SPEC)).create();
    await(() -> withCondition("rules", "ConfigValid", "True"));
    editProxy(
        "rules",
        t -> {
          t.getSpec().waf.rules = "BROKEN";
          return t;
        });
    ThreadPoolProxy invalid = await(() -> withCondition("rules", "ConfigValid", "False"));
    assertTrue(
        invalid.getStatus().conditions.stream().anyMatch(c -> c.getMessage().contains("BROKEN")));
    assertTrue(
        !client
            .configMaps()
            .inNamespace(NS)
            .withName("rules-config")
            .get()
            .getData()
            .get("proxy.yaml")
            .contains("BROKEN"));
  }

  @Test
  void editingALabelledRuleConfigMapRevalidatesAtOnce() {
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("site")
                .withNamespace(NS)
                .withLabels(Map.of(RuleConfigMapWatch.LABEL, "true"))
                .endMetadata()
                .withData(Map.of("a.conf", "SecRule ARGS \"@rx a\" \"id:9,deny\""))
                .build())
        .create();
    client
        .resource(
            Fixtures.proxy("watch", NS, SPEC.replace("rules: ", "ruleConfigMaps: [site], rules: ")))
        .create();
    await(() -> withCondition("watch", "ConfigValid", "True"));
    client
        .configMaps()
        .inNamespace(NS)
        .withName("site")
        .edit(
            cm -> {
              cm.getData().put("a.conf", "BROKEN");
              return cm;
            });
    // well before the 30 s periodic reconciliation
    ThreadPoolProxy invalid =
        await(() -> withCondition("watch", "ConfigValid", "False"), Duration.ofSeconds(10));
    assertTrue(
        invalid.getStatus().conditions.stream().anyMatch(c -> c.getMessage().contains("BROKEN")));
  }

  @Test
  void tlsSecretsAreMountedAndTheServiceGainsHttps() {
    client.resource(tlsSecret("site", TlsSecretData.base64("www.example.com"))).create();
    client
        .resource(
            Fixtures.proxy(
                "tls", NS, SPEC + "tls: [{secretName: site, hosts: [www.example.com]}]\n"))
        .create();
    await(() -> withCondition("tls", "ConfigValid", "True"));
    var service = await(() -> client.services().inNamespace(NS).withName("tls").get());
    assertEquals(
        List.of("http:80", "https:443"),
        service.getSpec().getPorts().stream().map(p -> p.getName() + ":" + p.getPort()).toList());
    assertEquals("https", service.getSpec().getPorts().get(1).getTargetPort().getStrVal());
    var pod =
        await(() -> client.apps().deployments().inNamespace(NS).withName("tls").get())
            .getSpec()
            .getTemplate()
            .getSpec();
    assertEquals(
        "site",
        pod.getVolumes().stream()
            .filter(v -> v.getSecret() != null)
            .findFirst()
            .orElseThrow()
            .getSecret()
            .getSecretName());
    assertTrue(
        client
            .configMaps()
            .inNamespace(NS)
            .withName("tls-config")
            .get()
            .getData()
            .get("proxy.yaml")
            .contains("certFile: /etc/tpp/tls/site/tls.crt"));
  }

  @Test
  void secretRenewalNeverTouchesThePodTemplateOrTheConfig() {
    client.resource(tlsSecret("renew", TlsSecretData.base64("www.example.com"))).create();
    client.resource(Fixtures.proxy("renew", NS, SPEC + "tls: [{secretName: renew}]\n")).create();
    await(() -> withCondition("renew", "ConfigValid", "True"));
    Deployment before =
        await(() -> client.apps().deployments().inNamespace(NS).withName("renew").get());
    ConfigMap config = client.configMaps().inNamespace(NS).withName("renew-config").get();
    // a broken renewal first: ConfigValid follows the Secret at once (the watch), and nothing rolls
    // out
    client
        .secrets()
        .inNamespace(NS)
        .withName("renew")
        .edit(
            s -> {
              s.getData().remove("tls.key");
              return s;
            });
    ThreadPoolProxy invalid =
        await(() -> withCondition("renew", "ConfigValid", "False"), Duration.ofSeconds(10));
    assertTrue(
        invalid.getStatus().conditions.stream()
            .anyMatch(
                c ->
                    c.getMessage().contains("spec.tls[0].secretName: Secret renew has no tls.key")),
        invalid.getStatus().conditions.toString());
    client
        .secrets()
        .inNamespace(NS)
        .withName("renew")
        .edit(
            s -> {
              s.setData(TlsSecretData.base64("www.example.com", "example.com"));
              return s;
            });
    await(() -> withCondition("renew", "ConfigValid", "True"), Duration.ofSeconds(10));
    Deployment after = client.apps().deployments().inNamespace(NS).withName("renew").get();
    assertEquals(before.getSpec().getTemplate(), after.getSpec().getTemplate());
    assertEquals(before.getMetadata().getGeneration(), after.getMetadata().getGeneration());
    assertEquals(
        config.getMetadata().getResourceVersion(),
        client
            .configMaps()
            .inNamespace(NS)
            .withName("renew-config")
            .get()
            .getMetadata()
            .getResourceVersion());
  }

  @Test
  void missingTlsSecretIsInvalidAndRollsOutNothingUntilItExists() {
    client.resource(Fixtures.proxy("early", NS, SPEC + "tls: [{secretName: later}]\n")).create();
    ThreadPoolProxy invalid = await(() -> withCondition("early", "ConfigValid", "False"));
    assertTrue(
        invalid.getStatus().conditions.stream()
            .anyMatch(
                c -> c.getMessage().startsWith("spec.tls[0].secretName: Secret later not found")),
        invalid.getStatus().conditions.toString());
    assertNull(client.apps().deployments().inNamespace(NS).withName("early").get());
    assertNull(client.configMaps().inNamespace(NS).withName("early-config").get());
    client.resource(tlsSecret("later", TlsSecretData.base64("www.example.com"))).create();
    await(() -> withCondition("early", "ConfigValid", "True"), Duration.ofSeconds(10));
    await(() -> client.apps().deployments().inNamespace(NS).withName("early").get());
  }

  static Secret tlsSecret(String name, Map<String, String> data) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .endMetadata()
        .withType(TlsSecretWatch.TYPE)
        .withData(data)
        .build();
  }

  @Test
  void singleReplicaHasNoDisruptionBudget() {
    client.resource(Fixtures.proxy("one", NS, SPEC.replace("replicas: 2", "replicas: 1"))).create();
    await(() -> withCondition("one", "ConfigValid", "True"));
    await(() -> client.apps().deployments().inNamespace(NS).withName("one").get());
    PodDisruptionBudget pdb =
        client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("one").get();
    assertNull(pdb);
  }

  @Test
  void scalesUpOnBlockTimeThroughTheScaleSubresource() {
    String spec =
        SPEC
            + "autoscaling: {enabled: true, minReplicas: 2, maxReplicas: 6, targetBlockP99: 20ms,"
            + " interval: 1s}\n";
    client.resource(Fixtures.proxy("busy", NS, spec)).create();
    for (String pod : List.of("busy-a", "busy-b")) {
      client.resource(readyPod(pod, "busy", true)).create();
    }
    AtomicInteger rounds = new AtomicInteger();
    pods =
        (targets, withMetrics) -> {
          String hash = appliedHash("busy");
          double n = withMetrics ? rounds.incrementAndGet() * 100 : 0;
          // every observation of the window in (10ms, 100ms]: p99 ~ 99ms, about 5x the 20ms target
          var histogram =
              new BlockHistogram(
                  new TreeMap<>(Map.of(0.01, 0.0, 0.1, n, Double.POSITIVE_INFINITY, n)));
          return targets.stream()
              .map(
                  t ->
                      new PodScraper.Scrape(
                          t.pod(),
                          withMetrics ? Optional.of(histogram) : Optional.empty(),
                          Optional.ofNullable(hash)))
              .toList();
        };
    ThreadPoolProxy scaled =
        await(
            () -> {
              ThreadPoolProxy t = withCondition("busy", "Scaling", "True");
              // the status of the round that decided (spec.replicas is written first, by the scale
              // subresource)
              return t != null
                      && t.getSpec().replicas == 6
                      && Integer.valueOf(6).equals(t.getStatus().desiredReplicas)
                  ? t
                  : null;
            });
    assertEquals(
        "2/2", scaled.getStatus().podsOnConfigHash, "both ready pods report the applied hash");
    await(
        () ->
            client
                        .apps()
                        .deployments()
                        .inNamespace(NS)
                        .withName("busy")
                        .get()
                        .getSpec()
                        .getReplicas()
                    == 6
                ? true
                : null);
    await(
        () ->
            client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(
                    e ->
                        e.getReason().equals("ScaledUp")
                            && e.getInvolvedObject().getName().equals("busy"))
                .findFirst()
                .orElse(null));
  }

  @Test
  void podsFromTheInformerReconcileAtOnceAndOnlyManagedOnesCount() {
    client.resource(Fixtures.proxy("fleet", NS, SPEC)).create();
    await(() -> withCondition("fleet", "ConfigValid", "True"));
    pods =
        (targets, withMetrics) ->
            targets.stream()
                .map(
                    t ->
                        new PodScraper.Scrape(
                            t.pod(), Optional.empty(), Optional.ofNullable(appliedHash("fleet"))))
                .toList();
    // a pod with the instance label that the operator does not manage: its informer never sees it
    client.resource(readyPod("fleet-stray", "fleet", false)).create();
    client.resource(readyPod("fleet-a", "fleet", true)).create();
    // well before the 30 s periodic reconciliation: the pod event, then the scrape poller's first
    // round
    ThreadPoolProxy seen =
        await(
            () -> {
              ThreadPoolProxy t =
                  client.resources(ThreadPoolProxy.class).inNamespace(NS).withName("fleet").get();
              return "1/1".equals(t.getStatus().podsOnConfigHash) ? t : null;
            },
            Duration.ofSeconds(15));
    assertEquals("1/1", seen.getStatus().podsOnConfigHash);
  }

  @Test
  void resourcesThatExistAtStartAreScrapedToo() {
    client.resource(Fixtures.proxy("known", NS, SPEC)).create();
    await(() -> withCondition("known", "ConfigValid", "True"));
    pods =
        (targets, withMetrics) ->
            targets.stream()
                .map(
                    t ->
                        new PodScraper.Scrape(
                            t.pod(), Optional.empty(), Optional.ofNullable(appliedHash("known"))))
                .toList();
    client.resource(readyPod("known-a", "known", true)).create();
    await(() -> "1/1".equals(podsOnConfigHash("known")) ? true : null, Duration.ofSeconds(15));
    operator.stop();
    client.resource(readyPod("known-b", "known", true)).create();
    // a new operator finds the resource in its first list, before its scrape poller has started
    operator = newOperator();
    operator.start();
    await(() -> "2/2".equals(podsOnConfigHash("known")) ? true : null, Duration.ofSeconds(15));
  }

  /**
   * Edits a resource, again on a conflict: the operator patches its status meanwhile (the edit
   * sends its version).
   */
  static void editProxy(String name, UnaryOperator<ThreadPoolProxy> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        client.resources(ThreadPoolProxy.class).inNamespace(NS).withName(name).edit(change);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  static String podsOnConfigHash(String name) {
    ThreadPoolProxy t =
        client.resources(ThreadPoolProxy.class).inNamespace(NS).withName(name).get();
    return t == null || t.getStatus() == null ? null : t.getStatus().podsOnConfigHash;
  }

  @Test
  void aFailingReconciliationSaysSoInReady() {
    client.resource(Fixtures.proxy("crash", NS, SPEC)).create();
    await(() -> withCondition("crash", "ConfigValid", "True"));
    editProxy(
        "crash",
        t -> {
          t.getSpec().waf.rules = "CRASH";
          return t;
        });
    ThreadPoolProxy failed =
        await(() -> withCondition("crash", "Ready", "False", StatusBuilder.RECONCILE_ERROR));
    Condition ready =
        failed.getStatus().conditions.stream()
            .filter(c -> c.getType().equals("Ready"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        "reconciliation failed: IllegalStateException: rule compiler crashed", ready.getMessage());
    assertEquals(
        "app.kubernetes.io/instance=crash,app.kubernetes.io/name=threadpoolproxy",
        failed.getStatus().selector,
        "the scale subresource keeps its selector");
    editProxy(
        "crash",
        t -> {
          t.getSpec().waf.rules = "SecRule ARGS \"@rx z\" \"id:3,phase:2,deny\"";
          return t;
        });
    await(
        () ->
            withCondition("crash", "Ready", "False", StatusBuilder.RECONCILE_ERROR) == null
                ? true
                : null);
  }

  @Test
  void operatorMetricsPassPromtoolWithoutPerResourceTags() throws Exception {
    client.resource(Fixtures.proxy("metered", NS, SPEC)).create();
    await(() -> withCondition("metered", "ConfigValid", "True"));
    HttpServer server = OperatorHttpServer.start(0, registry, operator);
    try {
      var response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      String text = response.body();
      assertEquals(200, response.statusCode());
      for (String name :
          List.of(
              "operator_sdk_reconciliations_success_total",
              "operator_sdk_events_received_total",
              "tpp_operator_replicas",
              "jvm_memory_used_bytes",
              "jvm_gc_memory_allocated_bytes_total",
              "jvm_threads_live_threads",
              "process_cpu_usage",
              "process_files_open_files")) {
        assertTrue(text.lines().anyMatch(l -> l.startsWith(name)), name + " is exported");
      }
      assertTrue(
          text.lines()
              .filter(l -> l.startsWith("operator_sdk_"))
              .noneMatch(l -> l.contains("name=\"metered\"")),
          "JOSDK metrics carry no per-resource tags");
      Promtool.Result result = Promtool.checkMetrics(text);
      assertEquals(0, result.exit(), "promtool check metrics:\n" + result.output());
      assertEquals("", result.output().strip(), "promtool has no warnings");
    } finally {
      server.stop(0);
    }
  }

  static Pod readyPod(String name, String instance, boolean managed) {
    Map<String, String> labels =
        new TreeMap<>(
            Map.of(
                "app.kubernetes.io/name",
                "threadpoolproxy",
                "app.kubernetes.io/instance",
                instance));
    if (managed) {
      labels.put("app.kubernetes.io/managed-by", "tpp-operator");
    }
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .withLabels(labels)
        .endMetadata()
        .withNewStatus()
        .withPodIP("10.0.0.1")
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  /** The config hash the operator applied to {@code name}, null before it has. */
  static String appliedHash(String name) {
    ConfigMap cm = client.configMaps().inNamespace(NS).withName(name + "-config").get();
    return cm == null
        ? null
        : cm.getMetadata().getAnnotations().get(ConfigMapDependent.HASH_ANNOTATION);
  }

  @Test
  void deliversReadyEndpointsWithoutTouchingConfigOrTemplate() {
    client
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("backend")
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .addNewPort()
                .withName("http")
                .withPort(8080)
                .endPort()
                .endSpec()
                .build())
        .create();
    client
        .resource(
            slice(
                "backend-a",
                List.of(
                    endpoint("10.1.0.1", true, false),
                    endpoint("10.1.0.2", false, false),
                    endpoint("10.1.0.3", true, true))))
        .create();
    client.resource(Fixtures.proxy("eps", NS, SPEC)).create();
    String hash = await(() -> withCondition("eps", "ConfigValid", "True")).getStatus().configHash;
    var template =
        await(() -> client.apps().deployments().inNamespace(NS).withName("eps").get())
            .getSpec()
            .getTemplate();
    String first = await(() -> endpointsFile("eps", "10.1.0.1"));
    assertTrue(first.contains("- {name: app, endpoints: [\"10.1.0.1:80\"]}"), first);
    client
        .resource(
            slice(
                "backend-a",
                List.of(endpoint("10.1.0.1", true, false), endpoint("10.1.0.2", true, false))))
        .update();
    client.resource(slice("backend-b", List.of(endpoint("10.1.0.4", true, false)))).create();
    String next =
        await(
            () -> endpointsFile("eps", "10.1.0.4"),
            Duration.ofSeconds(10)); // before the 30 s resync
    assertTrue(
        next.contains("endpoints: [\"10.1.0.1:80\", \"10.1.0.2:80\", \"10.1.0.4:80\"]"), next);
    assertEquals(
        hash,
        client
            .configMaps()
            .inNamespace(NS)
            .withName("eps-config")
            .get()
            .getMetadata()
            .getAnnotations()
            .get(ConfigMapDependent.HASH_ANNOTATION),
        "endpoints are not part of the config hash");
    assertEquals(
        template,
        client.apps().deployments().inNamespace(NS).withName("eps").get().getSpec().getTemplate());
    client.services().inNamespace(NS).withName("backend").delete();
    editProxy(
        "eps",
        t -> { // any event: reconcile now
          t.getSpec().replicas = 3;
          return t;
        });
    String gone = await(() -> endpointsFile("eps", "endpoints: []"));
    assertTrue(
        gone.contains("- {name: app, endpoints: []}"),
        "slices of a vanished Service are ignored: " + gone);
  }

  private static String endpointsFile(String name, String containing) {
    ConfigMap cm = client.configMaps().inNamespace(NS).withName(name + "-endpoints").get();
    String yaml = cm == null ? null : cm.getData().get("endpoints.yaml");
    return yaml != null && yaml.contains(containing) ? yaml : null;
  }

  private static EndpointSlice slice(String name, List<Endpoint> endpoints) {
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .withLabels(Map.of("kubernetes.io/service-name", "backend"))
        .endMetadata()
        .withAddressType("IPv4")
        .addNewPort()
        .withName("http")
        .withPort(80)
        .endPort()
        .withEndpoints(endpoints)
        .build();
  }

  private static Endpoint endpoint(String ip, boolean ready, boolean terminating) {
    return new EndpointBuilder()
        .withAddresses(ip)
        .withNewConditions()
        .withReady(ready)
        .withTerminating(terminating)
        .endConditions()
        .build();
  }

  static ThreadPoolProxy withCondition(String name, String type, String status) {
    return withCondition(name, type, status, null);
  }

  /**
   * The resource when it has condition {@code type} at {@code status} (with {@code reason}, unless
   * null).
   */
  static ThreadPoolProxy withCondition(String name, String type, String status, String reason) {
    ThreadPoolProxy tpp =
        client.resources(ThreadPoolProxy.class).inNamespace(NS).withName(name).get();
    boolean match =
        tpp != null
            && tpp.getStatus() != null
            && tpp.getStatus().conditions != null
            && tpp.getStatus().conditions.stream()
                .anyMatch(
                    c ->
                        c.getType().equals(type)
                            && c.getStatus().equals(status)
                            && (reason == null || reason.equals(c.getReason())));
    return match ? tpp : null;
  }

  static <T> T await(Supplier<T> probe) {
    return await(probe, Duration.ofSeconds(20));
  }

  static <T> T await(Supplier<T> probe, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return fail("condition not met within " + timeout);
  }
}
