package dev.tpp.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tpp.config.UpstreamConfig.HostPort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointsFileTest {

  private static List<String> errors(String yaml) {
    ConfigException e = assertThrows(ConfigException.class, () -> EndpointsFile.parse(yaml));
    return e.errors().stream().map(ConfigError::toString).toList();
  }

  @Test
  void readsTheSetsItNames() throws Exception {
    EndpointsFile f =
        EndpointsFile.parse(
            "upstreams:\n  - {name: backend, endpoints: ['10.0.0.1:80', '[fd00::1]:81']}\n"
                + "  - {name: empty, endpoints: []}\n");
    assertEquals(
        Map.of(
            "backend",
            List.of(new HostPort("10.0.0.1", 80), new HostPort("fd00::1", 81)),
            "empty",
            List.of()),
        f.upstreams());
    assertEquals(Map.of(), EndpointsFile.parse("").upstreams(), "an empty file names no upstream");
  }

  @Test
  void roundTripsItsRendering() throws Exception {
    Map<String, List<HostPort>> sets = new LinkedHashMap<>();
    sets.put("b", List.of(new HostPort("10.0.0.2", 8080), new HostPort("10.0.0.3", 8080)));
    sets.put("a", List.of());
    EndpointsFile f = new EndpointsFile(sets);
    assertEquals(
        "upstreams:\n  - {name: b, endpoints: [\"10.0.0.2:8080\", \"10.0.0.3:8080\"]}\n"
            + "  - {name: a, endpoints: []}\n",
        f.toYaml());
    assertEquals(f, EndpointsFile.parse(f.toYaml()));
    assertEquals("upstreams: []\n", new EndpointsFile(Map.of()).toYaml());
  }

  @Test
  void namesEveryProblem() {
    assertEquals(
        List.of(
            "upstreams[0].endpoints[0]: \"nohost\" is not host:port (expected: like 10.0.0.1:8080, [::1]:80)",
            "upstreams[1].extra: unknown field",
            "other: unknown field",
            "upstreams[1].endpoints[0]: 0 (expected: >= 1)",
            "upstreams[2].name: duplicate upstream name \"a\""),
        errors(
            "upstreams:\n  - {name: a, endpoints: [nohost]}\n  - {name: b, endpoints: ['h:0'], extra: 1}\n"
                + "  - {name: a}\nother: 1\n"));
    assertEquals(
        List.of("YAML syntax error at line 1, column 5: mapping values are not allowed here"),
        errors("a: b: c"));
  }
}
