package dev.tpp.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tpp.config.EndpointsFile;
import dev.tpp.config.UpstreamConfig.HostPort;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointsRendererTest {
  private static final String SPEC =
      """
      upstreams:
        - {name: app, service: {name: backend, port: 8080}}
        - {name: static, endpoints: ['10.9.9.9:80']}
        - {name: other, service: {name: gone, port: 80}}
      routes: [{path: /, upstream: app}]
      """;

  private static Service service(String portName, int port) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName("backend")
        .endMetadata()
        .withNewSpec()
        .addNewPort()
        .withName(portName)
        .withPort(port)
        .endPort()
        .endSpec()
        .build();
  }

  private static EndpointSlice slice(
      String addressType, String portName, int port, Object... ipReadyTerminating) {
    EndpointSliceBuilder b =
        new EndpointSliceBuilder()
            .withAddressType(addressType)
            .addNewPort()
            .withName(portName)
            .withPort(port)
            .endPort();
    for (int i = 0; i < ipReadyTerminating.length; i += 3) {
      b.addToEndpoints(
          new EndpointBuilder()
              .withAddresses((String) ipReadyTerminating[i])
              .withNewConditions()
              .withReady((Boolean) ipReadyTerminating[i + 1])
              .withTerminating((Boolean) ipReadyTerminating[i + 2])
              .endConditions()
              .build());
    }
    return b.build();
  }

  private static Map<String, List<HostPort>> render(Service backend, List<EndpointSlice> slices)
      throws Exception {
    String yaml =
        EndpointsRenderer.render(
            Fixtures.proxy("web", "ns", SPEC),
            name -> name.equals("backend") ? backend : null,
            name -> name.equals("backend") ? slices : List.of());
    return EndpointsFile.parse(yaml).upstreams();
  }

  @Test
  void takesReadyEndpointsOnTheSlicePortOfTheServicePort() throws Exception {
    var sets =
        render(
            service("http", 8080),
            List.of(
                slice(
                    "IPv4",
                    "http",
                    80,
                    "10.0.0.2",
                    true,
                    false,
                    "10.0.0.1",
                    null,
                    null,
                    "10.0.0.3",
                    false,
                    false),
                slice("IPv4", "metrics", 9100, "10.0.0.9", true, false),
                slice("IPv4", "http", 80, "10.0.0.4", true, true, "10.0.0.2", true, false),
                slice("FQDN", "http", 80, "db.example.com", true, false)));
    assertEquals(
        List.of(new HostPort("10.0.0.1", 80), new HostPort("10.0.0.2", 80)),
        sets.get("app"),
        "unready (10.0.0.3), terminating (10.0.0.4), other ports and FQDN slices left out; no duplicates; sorted");
    assertEquals(List.of(), sets.get("other"), "a Service that does not exist has no endpoints");
    assertEquals(
        List.of("app", "other"),
        List.copyOf(sets.keySet()),
        "upstreams with literal endpoints not named");
  }

  @Test
  void matchesAnUnnamedServicePortAndRefusesAMissingOne() throws Exception {
    assertEquals(
        List.of(new HostPort("fd00::1", 8443)),
        render(service(null, 8080), List.of(slice("IPv6", null, 8443, "fd00::1", true, false)))
            .get("app"));
    assertEquals(
        List.of(),
        render(service("http", 9999), List.of(slice("IPv4", "http", 80, "10.0.0.1", true, false)))
            .get("app"),
        "the upstream's port is not a port of the Service");
  }

  @Test
  void rendersTheSameBytesForTheSameEndpoints() {
    var a = List.of(slice("IPv4", "http", 80, "10.0.0.2", true, false, "10.0.0.1", true, false));
    var b = List.of(slice("IPv4", "http", 80, "10.0.0.1", true, false, "10.0.0.2", true, false));
    var tpp = Fixtures.proxy("web", "ns", SPEC);
    assertEquals(
        EndpointsRenderer.render(tpp, n -> service("http", 8080), n -> a),
        EndpointsRenderer.render(tpp, n -> service("http", 8080), n -> b));
  }
}
