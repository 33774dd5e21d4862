package dev.tpp.config;

import dev.tpp.config.UpstreamConfig.HostPort;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The endpoints file, {@code endpoints.yaml} beside {@code proxy.yaml}: for the upstreams it names,
 * the endpoint set to balance over, in place of what their {@code endpoints:} resolve to. The
 * operator writes it from a Service's ready EndpointSlice endpoints; the proxy watches it and swaps
 * the sets without a reload, and it is not part of the config hash. An upstream named with an empty
 * list has no endpoints (requests get 503); an upstream not named keeps its {@code endpoints:}.
 *
 * <pre>
 * upstreams:
 *   - {name: backend, endpoints: ["10.0.0.11:8080", "10.0.0.12:8080"]}
 * </pre>
 *
 * Pure and thread-safe.
 */
public record EndpointsFile(Map<String, List<HostPort>> upstreams) {
  public static final String FILE_NAME = "endpoints.yaml";

  public EndpointsFile {
    Map<String, List<HostPort>> copy = new LinkedHashMap<>();
    upstreams.forEach((name, list) -> copy.put(name, List.copyOf(list)));
    upstreams = Collections.unmodifiableMap(copy);
  }

  /**
   * Reads {@code yaml}; throws with every problem, each naming its field. An empty file names no
   * upstream.
   */
  @SuppressWarnings(
      "NullAway") // a name left out reads as null; the checks report it before the file is used
  public static EndpointsFile parse(String yaml) throws ConfigException {
    List<ConfigError> errors = new ArrayList<>();
    YamlNode root = new YamlNode("", ConfigLoader.tree(yaml, "upstreams:"), errors);
    Map<String, List<HostPort>> upstreams = new LinkedHashMap<>();
    Checks checks = new Checks();
    Set<String> names = new HashSet<>();
    List<YamlNode> entries = root.isMapping() ? root.get("upstreams").elements() : List.of();
    for (YamlNode entry : entries) {
      entry.mapping(
          null,
          n -> {
            String name = n.get("name").string(null);
            List<HostPort> endpoints =
                ConfigReader.list(n.get("endpoints"), UpstreamReader::hostPort);
            ConfigValidator.unique(n.path() + ".name", "upstream", name, names, checks);
            for (int e = 0; e < endpoints.size(); e++) {
              checks.range(n.path() + ".endpoints[" + e + "]", endpoints.get(e).port(), 1, 65535);
            }
            upstreams.put(name, endpoints);
            return null;
          });
    }
    root.rejectUnknownKeys();
    errors.addAll(checks.errors());
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return new EndpointsFile(upstreams);
  }

  /**
   * The file text for these sets, one upstream a line, in the map's order (the caller sorts for
   * stable bytes).
   */
  public String toYaml() {
    StringBuilder out = new StringBuilder("upstreams:");
    if (upstreams.isEmpty()) {
      return out.append(" []\n").toString();
    }
    out.append('\n');
    upstreams.forEach(
        (name, endpoints) ->
            out.append("  - {name: ")
                .append(name)
                .append(", endpoints: [")
                .append(String.join(", ", endpoints.stream().map(e -> "\"" + e + "\"").toList()))
                .append("]}\n"));
    return out.toString();
  }
}
