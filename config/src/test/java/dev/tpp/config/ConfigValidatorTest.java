package dev.tpp.config;

import static dev.tpp.config.LoadResults.errors;
import static dev.tpp.config.LoadResults.fixture;
import static dev.tpp.config.LoadResults.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigValidatorTest {

  @Test
  void acceptsTheContractExample() {
    assertEquals(List.of(), ConfigValidator.validate(parse(fixture("contract-example.yaml"))));
  }

  @Test
  void namesFieldPathOfNegativeMaxQueue() {
    assertEquals(
        List.of("pools[1].maxQueue: -1 (expected: >= 0)"),
        errors("pools: [{name: a}, {name: b, maxQueue: -1}]"));
  }

  @Test
  void namesAPoolWithoutANameInsteadOfFailingOnIt() {
    // found by ConfigLoaderFuzzTest: a nameless pool made the route check throw
    // NullPointerException
    List<String> errors =
        errors(
            """
        pools: [{threads: 2}]
        routes: [{path: /static/, files: {root: /srv, pool: files}}]
        """);
    assertEquals(
        true,
        errors.stream().anyMatch(e -> e.startsWith("pools[0].name: ")),
        String.valueOf(errors));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "listen: {port: 65536}                          | listen.port: 65536 (expected: <= 65535)",
        "admin: {port: -1}                              | admin.port: -1 (expected: >= 0)",
        "listen: {address: ''}                          | listen.address: is required",
        "workers: 0                                     | workers: 0 (expected: >= 1)",
        "workers: 257                                   | workers: 257 (expected: <= 256)",
        "keepalive: {maxRequestsPerConnection: -1}      | keepalive.maxRequestsPerConnection: -1 (expected: >= 0)",
        "keepalive: {idleTimeout: 0s}                   | keepalive.idleTimeout: 0s (expected: > 0)",
        "keepalive: {idleTimeout: 61m}                  | keepalive.idleTimeout: 1h1m (expected: <= 1h)",
        "http: {headerTimeout: 2h}                      | http.headerTimeout: 2h (expected: <= 1h)",
        "http: {maxRequestLine: 255}                    | http.maxRequestLine: 255 (expected: >= 256)",
        "http: {maxHeaderSize: 2Mi}                     | http.maxHeaderSize: 2Mi (expected: <= 1Mi)",
        "http: {maxHeaders: 0}                          | http.maxHeaders: 0 (expected: >= 1)",
        "accept: {maxConnectionsPerWorker: -1}          | accept.maxConnectionsPerWorker: -1 (expected: >= 0)",
        "http: {bodyTimeout: 0s}                        | http.bodyTimeout: 0s (expected: > 0)",
        "http: {spoolFilesPerWorker: -1}                | http.spoolFilesPerWorker: -1 (expected: >= 0)",
        "shutdownTimeout: 61m                           | shutdownTimeout: 1h1m (expected: <= 1h)",
        "pools: [{name: a, threads: 1025}]              | pools[0].threads: 1025 (expected: <= 1024)",
        "pools: [{name: a, threads: -1}]                | pools[0].threads: -1 (expected: >= 0)",
        "pools: [{name: a, maxQueue: 10000001}]         | pools[0].maxQueue: 10000001 (expected: <= 10000000)",
        "pools: [{name: Files}]                         | pools[0].name: \"Files\" (expected: lower-case letters, digits and '-')",
        "pools: [{threads: 1}]                          | pools[0].name: is required",
        "pools: [{name: ''}]                            | pools[0].name: is required",
      })
  void rejectsOutOfRangeServerAndPoolFields(String yaml, String error) {
    assertEquals(List.of(error), errors(yaml));
  }

  @Test
  void acceptsEveryBalancingField() {
    ProxyConfig c =
        parse(
            "upstreams: [{name: app, endpoints: ['backend.default.svc:8080'], loadBalancing: hash,"
                + " hashOn: {cookie: session}, resolveEvery: 0s, outlierDetection: {consecutiveErrors: 3}}]");
    assertEquals(List.of(), ConfigValidator.validate(c));
    UpstreamConfig u = c.upstreams().get(0);
    assertEquals(UpstreamConfig.LoadBalancing.HASH, u.loadBalancing());
    assertEquals(new UpstreamConfig.HashOn(null, "session"), u.hashOn());
    assertEquals(Duration.ZERO, u.resolveEvery());
    assertEquals(
        new UpstreamConfig.OutlierDetection(3, Duration.ofSeconds(10), 50), u.outlierDetection());
  }

  @Test
  void leavesBalancingFieldsAtTheirDefaults() {
    UpstreamConfig u = parse("upstreams: [{name: app, endpoints: ['h:1']}]").upstreams().get(0);
    assertEquals(UpstreamConfig.LoadBalancing.ROUND_ROBIN, u.loadBalancing());
    assertEquals(null, u.hashOn());
    assertEquals(Duration.ofSeconds(30), u.resolveEvery());
    assertEquals(null, u.outlierDetection(), "no ejection unless asked for");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "keepaliveConnections: 10001 | upstreams[0].keepaliveConnections: 10001 (expected: <= 10000)",
        "keepaliveConnections: -1    | upstreams[0].keepaliveConnections: -1 (expected: >= 0)",
        "connectTimeout: 0           | upstreams[0].connectTimeout: 0s (expected: > 0)",
        "responseTimeout: 90m        | upstreams[0].responseTimeout: 1h30m (expected: <= 1h)",
        "endpoints: []               | upstreams[0].endpoints: is empty (expected: at least one \"host:port\")",
        "endpoints: ['h:0']          | upstreams[0].endpoints[0]: port 0 (expected: 1-65535)",
        "endpoints: ['h:70000']      | upstreams[0].endpoints[0]: port 70000 (expected: 1-65535)",
        "loadBalancing: random       | upstreams[0].loadBalancing: \"random\" (expected: one of roundRobin, leastRequest, hash)",
        "loadBalancing: hash         | upstreams[0].hashOn: is required with loadBalancing: hash (expected: {header: NAME} or {cookie: NAME})",
        "hashOn: {header: X-User}    | upstreams[0].hashOn: is set but loadBalancing is roundRobin (expected: only with loadBalancing: hash)",
        "loadBalancing: hash, hashOn: {} | upstreams[0].hashOn: names neither header and cookie (expected: exactly one of {header: NAME}, {cookie: NAME})",
        "loadBalancing: hash, hashOn: {header: a, cookie: b} | upstreams[0].hashOn: names both header and cookie (expected: exactly one of {header: NAME}, {cookie: NAME})",
        "loadBalancing: hash, hashOn: {header: 'X User'} | upstreams[0].hashOn.header: \"X User\" (expected: a header name: no spaces, quotes or separators)",
        "loadBalancing: hash, hashOn: {query: a} | upstreams[0].hashOn.query: unknown field",
        "resolveEvery: 500ms         | upstreams[0].resolveEvery: 500ms (expected: 0 to resolve once, or >= 1s)",
        "resolveEvery: 2h            | upstreams[0].resolveEvery: 2h (expected: <= 1h)",
        "outlierDetection: {consecutiveErrors: 0} | upstreams[0].outlierDetection.consecutiveErrors: 0 (expected: >= 1)",
        "outlierDetection: {baseEjectionTime: 0s} | upstreams[0].outlierDetection.baseEjectionTime: 0s (expected: > 0)",
        "outlierDetection: {maxEjectionPercent: 101} | upstreams[0].outlierDetection.maxEjectionPercent: 101 (expected: <= 100)",
        "outlierDetection: {consecutive5xx: 3} | upstreams[0].outlierDetection.consecutive5xx: unknown field",
      })
  void rejectsOutOfRangeUpstreamFields(String field, String error) {
    String endpoints = field.startsWith("endpoints") ? "" : "endpoints: ['h:1'], ";
    assertEquals(List.of(error), errors("upstreams: [{name: app, " + endpoints + field + "}]"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{path: static/, return: {status: 200}}          | routes[0].path: \"static/\" (expected: starts with \"/\")",
        "{return: {status: 200}}                         | routes[0].path: is required",
        "{path: /, host: '', return: {status: 200}}      | routes[0].host: is required",
        "{path: /, return: {status: 99}}                 | routes[0].return.status: 99 (expected: >= 100)",
        "{path: /, return: {status: 600}}                | routes[0].return.status: 600 (expected: <= 599)",
        "{path: /, files: {root: /srv, pool: nope}}      | routes[0].files.pool: unknown pool \"nope\"",
        "{path: /, files: {pool: io}}                    | routes[0].files.root: is required",
        "{path: /, thumbnail: {root: /i, width: 0, height: 1, pool: io}}     | routes[0].thumbnail.width: 0 (expected: >= 1)",
        "{path: /, thumbnail: {root: /i, width: 1, height: 10001, pool: io}} | routes[0].thumbnail.height: 10001 (expected: <= 10000)",
        "{path: /, thumbnail: {root: /i, width: 1, height: 1}}               | routes[0].thumbnail.pool: is required",
        "{path: /, upstream: bakend}                     | routes[0].upstream: unknown upstream \"bakend\"",
      })
  void rejectsBadRoutes(String route, String error) {
    assertEquals(
        List.of(error),
        errors(
            "pools: [{name: io}]\nupstreams: [{name: backend, endpoints: ['h:1']}]\nroutes: ["
                + route
                + "]"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{enabled: true}                                   | waf.pool: unknown pool \"waf\"",
        "{pool: io, requestBodyLimit: 1Mi, inMemoryBodyLimit: 2Mi} | waf.inMemoryBodyLimit: 2Mi (expected: <= waf.requestBodyLimit, 1Mi)",
        "{crs: {paranoiaLevel: 5}}                         | waf.crs.paranoiaLevel: 5 (expected: <= 4)",
        "{crs: {paranoiaLevel: 0}}                         | waf.crs.paranoiaLevel: 0 (expected: >= 1)",
        "{crs: {anomalyThreshold: 0}}                      | waf.crs.anomalyThreshold: 0 (expected: >= 1)",
        "{ruleFiles: ['']}                                 | waf.ruleFiles[0]: is required",
      })
  void rejectsBadWafSettings(String waf, String error) {
    assertEquals(List.of(error), errors("pools: [{name: io}]\nwaf: " + waf));
  }

  @Test
  void allowsADisabledWafWithoutItsPool() {
    assertEquals(
        List.of(), ConfigValidator.validate(parse("waf: {enabled: false, pool: missing}")));
  }

  @Test
  void allowsEphemeralPortsAndZeroShutdownTimeout() {
    ProxyConfig c =
        parse(
            "listen: {port: 0}\nadmin: {port: 0}\nshutdownTimeout: 0s\npools: [{name: d, threads: 0, maxQueue: 0}]");
    assertEquals(Duration.ZERO, c.shutdownTimeout());
  }

  @Test
  void rejectsListenAndAdminOnTheSamePort() {
    assertEquals(
        List.of("admin.port: 8080 (expected: a port other than listen.port)"),
        errors("listen: {port: 8080}\nadmin: {port: 8080}"));
  }

  @Test
  void rejectsDuplicateNamesAfterTheFirst() {
    assertEquals(
        List.of(
            "pools[2].name: duplicate pool name \"waf\"",
            "upstreams[1].name: duplicate upstream name \"app\""),
        errors(
            "pools: [{name: waf}, {name: io}, {name: waf}]\n"
                + "upstreams: [{name: app, endpoints: ['h:1']}, {name: app, endpoints: ['h:2']}]"));
  }

  @Test
  void reportsNullFieldsOfAConfigBuiltInCode() {
    ProxyConfig valid = parse("");
    ProxyConfig built =
        new ProxyConfig(
            valid.listen(),
            valid.admin(),
            valid.workers(),
            valid.accept(),
            new KeepaliveConfig(null, 0),
            valid.http(),
            valid.shutdownTimeout(),
            List.of(new PoolConfig(null, 1, 1, null)),
            List.of(),
            List.of(new RouteConfig(null, "/", "*", true, null)),
            valid.waf());
    assertEquals(
        List.of(
            "keepalive.idleTimeout: is required",
            "pools[0].name: is required",
            "pools[0].overflow: is required",
            "routes[0].name: is required",
            "routes[0]: has no action (expected: one of files, thumbnail, return, upstream)"),
        ConfigValidator.validate(built).stream().map(ConfigError::toString).toList());
  }
}
