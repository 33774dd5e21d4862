package dev.tpp.config;

import static dev.tpp.config.LoadResults.errors;
import static dev.tpp.config.LoadResults.fixture;
import static dev.tpp.config.LoadResults.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @Test
  void parsesTheContractExample() {
    ProxyConfig c = parse(fixture("contract-example.yaml"));
    assertEquals(new Endpoint("0.0.0.0", 8080), c.listen());
    assertEquals(2, c.workers());
    assertEquals(
        List.of(
            new PoolConfig("waf", 4, 256, PoolConfig.Overflow.REJECT, PoolConfig.Priority.NORMAL),
            new PoolConfig(
                "files", 8, 65536, PoolConfig.Overflow.REJECT, PoolConfig.Priority.NORMAL),
            new PoolConfig("thumbs", 2, 64, PoolConfig.Overflow.REJECT, PoolConfig.Priority.LOW)),
        c.pools());
    UpstreamConfig backend = c.upstream("backend");
    assertEquals(List.of(new UpstreamConfig.HostPort("127.0.0.1", 18080)), backend.endpoints());
    assertEquals(Duration.ofSeconds(1), backend.connectTimeout());
    assertEquals(new RouteAction.Files("/srv/www", "files"), c.routes().get(0).action());
    assertEquals(
        new RouteAction.Thumbnail("/srv/images", 300, 200, "thumbs"), c.routes().get(1).action());
    assertEquals(new RouteAction.Return(200, "hello\n"), c.routes().get(2).action());
    assertEquals(new RouteAction.Upstream("backend"), c.routes().get(3).action());
    assertEquals(new WafConfig.Crs(false, "/usr/share/modsecurity-crs", 1, 5), c.waf().crs());
    assertEquals(List.of("/etc/tpp/rules/*.conf"), c.waf().ruleFiles());
    assertEquals(1024 * 1024, c.waf().requestBodyLimit());
    assertEquals(
        "SecRule ARGS \"@rx (?i)union\\s+select\" \"id:1001,phase:2,deny,status:403,msg:'SQL injection'\"\n",
        c.waf().rules());
  }

  @Test
  void appliesDefaultsToAnEmptyFile() {
    ProxyConfig c = parse("");
    assertEquals(ConfigDefaults.LISTEN, c.listen());
    assertEquals(ConfigDefaults.ADMIN, c.admin());
    assertEquals(ConfigDefaults.workers(), c.workers());
    assertEquals(new AcceptConfig(true), c.accept());
    assertEquals(new KeepaliveConfig(Duration.ofSeconds(60), 0), c.keepalive());
    assertEquals(new HttpLimits(Duration.ofSeconds(10), 8192, 16384), c.http());
    assertEquals(Duration.ofSeconds(30), c.shutdownTimeout());
    assertEquals(List.of(), c.routes());
    assertEquals(
        new WafConfig(
            false,
            "waf",
            WafConfig.Mode.BLOCK,
            1 << 20,
            64 << 10,
            ConfigDefaults.CRS,
            List.of(),
            ""),
        c.waf());
  }

  @Test
  void readsTheRequestStrictnessAndBodyFields() {
    ProxyConfig c =
        parse(
            "http: {maxHeaders: 50, bodyTimeout: 5s, allowEncodedSlash: true,"
                + " allowAmbiguousContentType: true, spoolFilesPerWorker: 3, spoolBytesPerWorker: 2Mi}\n");
    assertEquals(
        new HttpLimits(
            Duration.ofSeconds(10), 8192, 16384, 50, Duration.ofSeconds(5), true, true, 3, 2 << 20),
        c.http());
    assertEquals(Duration.ofSeconds(60), parse("").http().bodyTimeout());
    assertEquals(
        new AcceptConfig(false, 500),
        parse("accept: {reusePort: false, maxConnectionsPerWorker: 500}").accept());
    assertEquals(10_000, parse("").accept().maxConnectionsPerWorker());
  }

  @Test
  void appliesDefaultsInsideListsAndSections() {
    ProxyConfig c =
        parse(
            "keepalive: {maxRequestsPerConnection: 100}\n"
                + "pools: [{name: io}]\n"
                + "upstreams: [{name: app, endpoints: ['[::1]:80']}]\n"
                + "routes: [{path: /, upstream: app}]\n");
    assertEquals(new KeepaliveConfig(Duration.ofSeconds(60), 100), c.keepalive());
    assertEquals(
        new PoolConfig("io", 32, 65536, PoolConfig.Overflow.REJECT, PoolConfig.Priority.NORMAL),
        c.pools().get(0));
    assertEquals(
        new UpstreamConfig(
            "app",
            List.of(new UpstreamConfig.HostPort("::1", 80)),
            32,
            Duration.ofSeconds(5),
            Duration.ofSeconds(60)),
        c.upstreams().get(0));
    assertEquals(
        new RouteConfig("/", "/", "*", true, new RouteAction.Upstream("app")), c.routes().get(0));
  }

  @Test
  void treatsNullValuesAsDefaults() {
    assertEquals(
        Duration.ofSeconds(30), parse("shutdownTimeout: ~\nkeepalive:\n").shutdownTimeout());
  }

  @Test
  void resolvesRelativePathsAgainstTheConfigDirectory(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("conf/proxy.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, fixture("relative-paths.yaml"));
    ProxyConfig c = ConfigLoader.load(file);
    Path conf = file.getParent().toAbsolutePath();
    assertEquals(
        new RouteAction.Files(conf.resolve("www").toString(), "io"), c.routes().get(0).action());
    assertEquals(
        dir.toAbsolutePath().resolve("images").toString(),
        ((RouteAction.Thumbnail) c.routes().get(1).action()).root());
    assertEquals(conf.resolve("crs").toString(), c.waf().crs().path());
    assertEquals(List.of(conf.resolve("rules/*.conf").toString()), c.waf().ruleFiles());
  }

  @Test
  void collectsEveryErrorWithItsFieldPath() {
    assertEquals(
        List.of(
            "workers: \"two\" is not an integer",
            "keepalive.idelTimeout: unknown field",
            "pools[1].maxQueue: -1 (expected: >= 0)",
            "pools[2].name: duplicate pool name \"waf\"",
            "routes[2].upstream: unknown upstream \"bakend\""),
        errors(fixture("many-errors.yaml")));
  }

  @Test
  void reportsYamlSyntaxErrorWithLineAndColumn() {
    List<String> errors = errors("listen: {address: 0.0.0.0, port: 8080\nadmin: {port: 9090}\n");
    assertEquals(1, errors.size());
    assertEquals(
        "YAML syntax error at line 2, column 6: expected ',' or '}', but got : (while parsing a flow mapping)",
        errors.get(0));
  }

  @Test
  void rejectsDuplicateKeys() {
    List<String> errors = errors("workers: 2\nworkers: 3\n");
    assertEquals(1, errors.size());
    assertEquals(
        "YAML syntax error at line 2, column 1: found duplicate key workers (while constructing a mapping)",
        errors.get(0));
  }

  @Test
  void rejectsATopLevelThatIsNotAMapping() {
    assertEquals(
        List.of("the file holds a list (expected: fields such as listen:, routes:)"),
        errors("- a\n- b\n"));
  }

  @Test
  void namesUnknownFieldsAtEveryDepth() {
    assertEquals(
        List.of(
            "listen.prot: unknown field",
            "pools[0].thread: unknown field",
            "routes[0].files.rot: unknown field",
            "routes[0].paht: unknown field",
            "waf.crs.level: unknown field",
            "waf.enable: unknown field",
            "extra: unknown field"),
        errors(
            "listen: {prot: 1}\n"
                + "pools: [{name: io, thread: 2}]\n"
                + "routes: [{path: /, paht: /x, files: {root: /srv, pool: io, rot: /x}}]\n"
                + "waf: {enable: true, crs: {level: 2}}\n"
                + "extra: 1\n"));
  }

  @Test
  void namesWrongTypes() {
    assertEquals(
        List.of(
            "listen.port: \"http\" is not an integer",
            "accept.reusePort: \"yes please\" is not a boolean (expected: true or false)",
            "keepalive.idleTimeout: 60 is not a duration " + Durations.EXPECTED,
            "http.maxHeaderSize: \"big\" is not a size " + Quantities.EXPECTED,
            "pools[0].overflow: \"drop\" (expected: one of reject, inline)",
            "upstreams: a mapping is not a list (expected: [item, ...])",
            "routes[0]: \"/\" is not a mapping (expected: {key: value, ...})",
            "waf.mode: \"BLOCK\" (expected: one of block, detect)"),
        errors(
            "listen: {port: http}\n"
                + "accept: {reusePort: yes please}\n"
                + "keepalive: {idleTimeout: 60}\n"
                + "http: {maxHeaderSize: big}\n"
                + "pools: [{name: io, overflow: drop}]\n"
                + "upstreams: {name: app}\n"
                + "routes: [/]\n"
                + "waf: {mode: BLOCK}\n"));
  }

  @Test
  void namesIntegersTooLargeForTheirField() {
    assertEquals(
        List.of("workers: 3000000000 is out of range (expected: <= 2147483647)"),
        errors("workers: 3000000000"));
  }

  @Test
  void rejectsARouteWithTwoActions() {
    assertEquals(
        List.of(
            "routes[0]: has return and upstream (expected: exactly one of files, thumbnail, return, upstream)"),
        errors(
            "upstreams: [{name: a, endpoints: ['h:1']}]\nroutes: [{path: /, return: {status: 204}, upstream: a}]"));
  }

  @Test
  void rejectsARouteWithoutAction() {
    assertEquals(
        List.of("routes[0]: has no action (expected: one of files, thumbnail, return, upstream)"),
        errors("routes: [{path: /}]"));
  }

  @Test
  void requiresThumbnailSizeAndReturnStatus() {
    assertEquals(
        List.of("routes[0].thumbnail.height: is required", "routes[1].return.status: is required"),
        errors(
            "pools: [{name: io}]\n"
                + "routes: [{path: /t/, thumbnail: {root: /img, width: 10, pool: io}}, {path: /, return: {body: x}}]"));
  }

  @Test
  void namesMalformedEndpoints() {
    assertEquals(
        List.of(
            "upstreams[0].endpoints[0]: \"localhost\" is not host:port (expected: like 10.0.0.1:8080, [::1]:80)",
            "upstreams[0].endpoints[1]: \"::1:80\" is not host:port (expected: like 10.0.0.1:8080, [::1]:80)",
            "upstreams[0].endpoints[2]: \"h:http\" has no numeric port (expected: like 10.0.0.1:8080, [::1]:80)"),
        errors("upstreams: [{name: a, endpoints: [localhost, '::1:80', 'h:http']}]"));
  }

  @Test
  void keepsScalarTextForStringFields() {
    ProxyConfig c = parse("routes: [{path: /, return: {status: 404, body: 404}}]");
    assertEquals(new RouteAction.Return(404, "404"), c.routes().get(0).action());
  }

  @Test
  void readsOnlyTrueAndFalseAsBooleans() {
    ProxyConfig c =
        parse(
            "upstreams: [{name: 'no', endpoints: ['on:80']}]\n"
                + "routes: [{path: /, host: yes, name: 2024-01-01, upstream: 'no'}, {path: /x, waf: False, return: {status: 200}}]\n");
    assertEquals(
        new RouteConfig("2024-01-01", "/", "yes", true, new RouteAction.Upstream("no")),
        c.routes().get(0));
    assertEquals(new UpstreamConfig.HostPort("on", 80), c.upstreams().get(0).endpoints().get(0));
    assertEquals(false, c.routes().get(1).waf());
    assertEquals(
        List.of("accept.reusePort: \"yes\" is not a boolean (expected: true or false)"),
        errors("accept: {reusePort: yes}"));
  }

  @Test
  void loadReportsAMissingFileAsIOException(@TempDir Path dir) {
    assertThrows(IOException.class, () -> ConfigLoader.load(dir.resolve("absent.yaml")));
  }

  @Test
  void exceptionMessageJoinsAllErrors() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.parse("workers: 0\nshutdownTimeout: 2h\n", LoadResults.BASE));
    assertEquals(
        "workers: 0 (expected: >= 1); shutdownTimeout: 2h (expected: <= 1h)", e.getMessage());
    assertInstanceOf(List.class, e.errors());
  }
}
