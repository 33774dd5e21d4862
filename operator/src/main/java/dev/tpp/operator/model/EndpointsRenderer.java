package dev.tpp.operator.model;

import dev.tpp.config.EndpointsFile;
import dev.tpp.config.UpstreamConfig.HostPort;
import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.crds.UpstreamSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Renders the {@code endpoints.yaml} of a ThreadPoolProxy: for each upstream that names a Service,
 * the addresses of that Service's <em>ready</em> EndpointSlice endpoints (terminating and unready
 * ones left out: they get no new requests), on the slice port that the Service port maps to. A
 * Service that does not exist, or has no such port, gives an empty set (the proxy answers 503 with
 * a clear body) rather than a stale one. Pure and deterministic: addresses sorted, so unchanged
 * endpoints never rewrite the ConfigMap.
 */
public final class EndpointsRenderer {
  /** The label EndpointSlices carry with the name of their Service. */
  public static final String SERVICE_LABEL = "kubernetes.io/service-name";

  private EndpointsRenderer() {}

  /**
   * {@code services}: a Service of the resource's namespace by name, or null; {@code slices}: the
   * EndpointSlices labelled with that Service's name.
   */
  public static String render(
      ThreadPoolProxy tpp,
      Function<String, Service> services,
      Function<String, List<EndpointSlice>> slices) {
    Map<String, List<HostPort>> sets = new LinkedHashMap<>();
    for (UpstreamSpec upstream : serviceUpstreams(tpp)) {
      Service service = services.apply(upstream.service.name);
      sets.put(
          upstream.name,
          service == null
              ? List.of()
              : ready(
                  slices.apply(upstream.service.name), portName(service, upstream.service.port)));
    }
    return "# rendered by tpp-operator from the EndpointSlices of the Services that ThreadPoolProxy "
        + tpp.getMetadata().getNamespace()
        + "/"
        + tpp.getMetadata().getName()
        + " names\n"
        + new EndpointsFile(sets).toYaml();
  }

  /** The upstreams of {@code tpp} that name a Service. */
  public static List<UpstreamSpec> serviceUpstreams(ThreadPoolProxy tpp) {
    if (tpp.getSpec() == null || tpp.getSpec().upstreams == null) {
      return List.of();
    }
    return tpp.getSpec().upstreams.stream()
        .filter(u -> u.service != null && u.service.name != null)
        .toList();
  }

  /**
   * The name of the Service port numbered {@code port} ("" when unnamed), or null when it has none.
   */
  static String portName(Service service, Integer port) {
    if (service.getSpec() == null || service.getSpec().getPorts() == null) {
      return null;
    }
    return service.getSpec().getPorts().stream()
        .filter(p -> Objects.equals(p.getPort(), port))
        .map(ServicePort::getName)
        .map(n -> n == null ? "" : n)
        .findFirst()
        .orElse(null);
  }

  /**
   * Ready, not terminating endpoints of {@code slices} on the slice port named {@code portName};
   * sorted.
   */
  static List<HostPort> ready(List<EndpointSlice> slices, String portName) {
    TreeSet<String> seen = new TreeSet<>();
    List<HostPort> out = new ArrayList<>();
    if (portName == null) {
      return out;
    }
    for (EndpointSlice slice : slices) {
      Integer port = slicePort(slice, portName);
      if (port == null || "FQDN".equals(slice.getAddressType()) || slice.getEndpoints() == null) {
        continue;
      }
      for (Endpoint e : slice.getEndpoints()) {
        if (isReady(e) && e.getAddresses() != null) {
          e.getAddresses()
              .forEach(
                  a -> {
                    if (seen.add(
                        a + "#" + port)) { // an endpoint may sit in two slices while they are
                      // rebalanced
                      out.add(new HostPort(a, port));
                    }
                  });
        }
      }
    }
    out.sort(Comparator.comparing(HostPort::toString));
    return out;
  }

  private static Integer slicePort(EndpointSlice slice, String portName) {
    if (slice.getPorts() == null) {
      return null;
    }
    return slice.getPorts().stream()
        .filter(p -> portName.equals(p.getName() == null ? "" : p.getName()))
        .map(EndpointPort::getPort)
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  /**
   * Ready unless the slice says otherwise (an unknown ready state counts as ready, as the API
   * advises).
   */
  private static boolean isReady(Endpoint e) {
    var c = e.getConditions();
    return c == null
        || (!Boolean.FALSE.equals(c.getReady()) && !Boolean.TRUE.equals(c.getTerminating()));
  }
}
