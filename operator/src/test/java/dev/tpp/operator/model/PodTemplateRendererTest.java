package dev.tpp.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodTemplateRendererTest {
  static final String BASE =
      """
      pools: [{name: waf, threads: 4}]
      routes: [{path: /, return: {status: 200}}]
      waf: {enabled: true, pool: waf, rules: ""}
      """;

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static PodTemplateSpec template(String spec) {
    return PodTemplateRenderer.render(Fixtures.proxy("web", "ns", spec), "img:1");
  }

  /** BASE with the top-level fields of {@code change} replacing its own. */
  static String with(String change) {
    try {
      ObjectNode base = (ObjectNode) YAML.readTree(BASE);
      base.setAll((ObjectNode) YAML.readTree(change));
      return YAML.writeValueAsString(base);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      pools      | pools: [{name: waf, threads: 16, maxQueue: 9}, {name: files, threads: 2}]
      routes     | routes: [{path: /a, return: {status: 404}}, {path: /, return: {status: 200}}]
      waf rules  | waf: {enabled: true, pool: waf, mode: detect, rules: 'SecRule ARGS "@rx x" "id:1,deny"'}
      keepalive  | keepalive: {idleTimeout: 5s, maxRequestsPerConnection: 100}
      service    | service: {type: LoadBalancer, annotations: {a: b}, externalTrafficPolicy: Local}
      pdb        | podDisruptionBudget: {minAvailable: 2}
      """)
  void hotReloadableChangeKeepsPodTemplate(String what, String change) {
    assertEquals(template(BASE), template(with(change)), what + " changed the pod template");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      image     | image: other:2
      resources | resources: {limits: {cpu: '2'}}
      port      | listen: {port: 8081}
      tls       | tls: [{secretName: site}]
      pod labels      | pod: {labels: {team: shop}}
      pod annotations | pod: {annotations: {trace: enabled}}
      nodeSelector    | pod: {nodeSelector: {node-role: edge}}
      tolerations     | pod: {tolerations: [{key: edge, operator: Exists, effect: NoSchedule}]}
      affinity        | pod: {affinity: {podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 1, podAffinityTerm: {topologyKey: kubernetes.io/hostname}}]}}}
      spread          | pod: {topologySpreadConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}]}
      preStopDelay    | pod: {preStopDelay: 10s}
      """)
  void podLevelChangeRollsPods(String what, String change) {
    assertNotEquals(template(BASE), template(with(change)), what);
  }

  @Test
  void hardenedContainerOnConfigVolume() {
    var pod = template(BASE).getSpec();
    var container = pod.getContainers().get(0);
    assertEquals("img:1", container.getImage());
    assertEquals(java.util.List.of("--config", "/etc/tpp/proxy.yaml"), container.getArgs());
    assertTrue(container.getSecurityContext().getReadOnlyRootFilesystem());
    assertTrue(container.getSecurityContext().getRunAsNonRoot());
    assertEquals(
        java.util.List.of("ALL"), container.getSecurityContext().getCapabilities().getDrop());
    // A real API server refuses localhostProfile unless type is Localhost (found by e2e; the mock
    // server accepts it).
    assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
    assertEquals(null, pod.getSecurityContext().getSeccompProfile().getLocalhostProfile());
    assertEquals("/readyz", container.getReadinessProbe().getHttpGet().getPath());
    assertEquals("/healthz", container.getLivenessProbe().getHttpGet().getPath());
    var sources = pod.getVolumes().get(0).getProjected().getSources();
    assertEquals("web-config", sources.get(0).getConfigMap().getName());
    assertEquals(
        "web-endpoints",
        sources.get(1).getConfigMap().getName(),
        "endpoints.yaml beside proxy.yaml");
    assertTrue(
        sources.get(1).getConfigMap().getOptional(),
        "a pod may start before the endpoints ConfigMap exists");
    assertEquals("9090", template(BASE).getMetadata().getAnnotations().get("prometheus.io/port"));
  }

  @Test
  void mountsRuleConfigMapsUnderTheirNames() {
    var pod =
        template(
                with(
                    "waf: {enabled: true, pool: waf, rules: '', ruleConfigMaps: [site.rules, extra]}"))
            .getSpec();
    assertEquals("site.rules", pod.getVolumes().get(2).getConfigMap().getName());
    assertEquals("rules-0", pod.getVolumes().get(2).getName());
    assertEquals(
        "/etc/tpp-rules/extra", pod.getContainers().get(0).getVolumeMounts().get(3).getMountPath());
  }

  @Test
  void mountsTlsSecretsReadOnlyBesideTheConfigAndOpensTheHttpsPort() {
    var pod =
        template(with("tls: [{secretName: site, hosts: [a.example]}, {secretName: other.tls}]"))
            .getSpec();
    var container = pod.getContainers().get(0);
    assertEquals("site", pod.getVolumes().get(2).getSecret().getSecretName());
    assertEquals("tls-1", pod.getVolumes().get(3).getName());
    assertEquals("other.tls", pod.getVolumes().get(3).getSecret().getSecretName());
    var mount = container.getVolumeMounts().get(3);
    assertEquals("tls-1", mount.getName());
    assertEquals("/etc/tpp/tls/other.tls", mount.getMountPath());
    assertTrue(mount.getReadOnly());
    assertEquals(
        java.util.List.of("http:8080", "https:8443", "admin:9090"),
        container.getPorts().stream().map(p -> p.getName() + ":" + p.getContainerPort()).toList());
  }

  @Test
  void tlsHostsAreNotInThePodTemplate() {
    // hosts live in proxy.yaml (hot-reloaded); the template names only the Secrets, never their
    // content
    assertEquals(
        template(with("tls: [{secretName: site, hosts: [a.example]}]")),
        template(with("tls: [{secretName: site, hosts: [b.example, c.example]}]")));
  }

  /** preStop delay (default 5s) + shutdownTimeout (default 30s) + 5s for the JVM to exit. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      ''                                             | 40 | 5
      shutdownTimeout: 30s                           | 40 | 5
      shutdownTimeout: 90s                           | 100 | 5
      shutdownTimeout: 1500ms                        | 12 | 5
      {shutdownTimeout: 10s, pod: {preStopDelay: 20s}} | 35 | 20
      {pod: {preStopDelay: 0s}}                      | 35 | 0
      """)
  void gracePeriodCoversPreStopAndShutdownTimeout(String spec, long seconds, long preStop)
      throws Exception {
    var pod =
        template(spec.startsWith("{") ? YAML.writeValueAsString(YAML.readTree(spec)) : spec)
            .getSpec();
    assertEquals(seconds, pod.getTerminationGracePeriodSeconds());
    var lifecycle = pod.getContainers().get(0).getLifecycle();
    assertEquals(preStop, lifecycle == null ? 0 : lifecycle.getPreStop().getSleep().getSeconds());
  }

  @Test
  void operatorLabelsAndAnnotationsWinOverThePodSpecs() {
    var meta =
        template(
                with(
                    """
        pod: {labels: {app.kubernetes.io/instance: other, team: shop},
              annotations: {prometheus.io/port: '1', trace: 'on'}}
        """))
            .getMetadata();
    assertEquals(
        "web",
        meta.getLabels().get("app.kubernetes.io/instance"),
        "the selector must keep matching");
    assertEquals("shop", meta.getLabels().get("team"));
    assertEquals("9090", meta.getAnnotations().get("prometheus.io/port"));
    assertEquals("on", meta.getAnnotations().get("trace"));
  }

  @Test
  void placementReachesThePodAndSpreadDefaultsToTheFleetsSelector() {
    var pod =
        template(
                with(
                    """
        pod:
          nodeSelector: {node-role: edge}
          tolerations: [{key: edge, operator: Exists, effect: NoSchedule}]
          affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms:
            [{matchExpressions: [{key: zone, operator: In, values: [a]}]}]}}}
          topologySpreadConstraints:
            - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway}
            - {maxSkew: 2, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule,
               labelSelector: {matchLabels: {team: shop}}}
        """))
            .getSpec();
    assertEquals(java.util.Map.of("node-role", "edge"), pod.getNodeSelector());
    assertEquals("edge", pod.getTolerations().get(0).getKey());
    assertEquals(
        "zone",
        pod.getAffinity()
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms()
            .get(0)
            .getMatchExpressions()
            .get(0)
            .getKey());
    var spread = pod.getTopologySpreadConstraints();
    assertEquals(
        Names.selectorLabels(Fixtures.proxy("web", "ns", "")),
        spread.get(0).getLabelSelector().getMatchLabels());
    assertEquals(
        java.util.Map.of("team", "shop"), spread.get(1).getLabelSelector().getMatchLabels());
  }
}
