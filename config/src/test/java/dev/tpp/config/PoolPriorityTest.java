package dev.tpp.config;

import static dev.tpp.config.LoadResults.errors;
import static dev.tpp.config.LoadResults.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.PoolConfig.Priority;
import dev.tpp.config.tls.OpensslCertificates;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pools[].priority}: read, validated, defaulted by the pool's work, rendered only when not
 * the default.
 */
class PoolPriorityTest {
  private static final String POOLS_AND_ROUTES =
      """
      pools:
        - {name: thumbs%s}
        - {name: files}
        - {name: waf}
        - {name: shared}
      routes:
        - {path: /thumb/, thumbnail: {root: /srv/i, width: 10, height: 10, pool: thumbs}}
        - {path: /static/, files: {root: /srv/www, pool: files}}
        - {path: /t2/, thumbnail: {root: /srv/i, width: 10, height: 10, pool: shared}}
        - {path: /f2/, files: {root: /srv/www, pool: shared}}
      waf: {enabled: true, pool: waf}
      """;

  @Test
  void defaultsToLowOnlyForPoolsThatOnlyThumbnailsUse() {
    ProxyConfig c = parse(POOLS_AND_ROUTES.formatted(""));
    assertEquals(
        List.of(Priority.LOW, Priority.NORMAL, Priority.NORMAL, Priority.NORMAL),
        c.pools().stream().map(PoolConfig::priority).toList());
  }

  @Test
  void defaultsToLowForThePoolThatSignsTlsHandshakesUnlessTheWafSharesIt(@TempDir Path dir)
      throws Exception {
    Path[] pair = OpensslCertificates.make(dir, "a", "ec", 30, "a.test");
    String tls =
        """
        pools: [{name: tls}, {name: waf}]
        listeners:
          - name: https
            port: 8443
            tls: {certificates: [{certFile: "%s", keyFile: "%s"}], pool: %%s}
        waf: {enabled: true, pool: waf}
        """
            .formatted(pair[0], pair[1]);
    assertEquals(Priority.LOW, parse(tls.formatted("tls")).pool("tls").priority());
    assertEquals(Priority.NORMAL, parse(tls.formatted("waf")).pool("waf").priority());
    assertFalse(ConfigRenderer.toYaml(parse(tls.formatted("tls"))).contains("priority"));
  }

  @Test
  void readsAWrittenPriority() {
    assertEquals(
        Priority.NORMAL,
        parse(POOLS_AND_ROUTES.formatted(", priority: normal")).pool("thumbs").priority());
    assertEquals(Priority.LOW, parse("pools: [{name: io, priority: low}]").pool("io").priority());
  }

  @Test
  void rejectsAnUnknownPriorityNamingTheField() {
    assertEquals(
        List.of("pools[0].priority: \"idle\" (expected: one of low, normal)"),
        errors("pools: [{name: io, priority: idle}]"));
  }

  @Test
  void rendersOnlyAPriorityThatDiffersFromTheDefault() {
    String implicit = ConfigRenderer.toYaml(parse(POOLS_AND_ROUTES.formatted("")));
    String explicitDefault =
        ConfigRenderer.toYaml(parse(POOLS_AND_ROUTES.formatted(", priority: low")));
    ProxyConfig changed = parse(POOLS_AND_ROUTES.formatted(", priority: normal"));
    assertFalse(implicit.contains("priority"), implicit);
    assertEquals(implicit, explicitDefault, "the same config hashes the same, written or not");
    assertTrue(ConfigRenderer.toYaml(changed).contains("priority: normal"));
    assertEquals(changed, parse(ConfigRenderer.toYaml(changed)));
  }

  @Test
  void aConfigBuiltInCodeGetsTheDefaultToo() {
    ProxyConfig parsed = parse(POOLS_AND_ROUTES.formatted(""));
    List<PoolConfig> unwritten = parsed.pools().stream().map(p -> p.withPriority(null)).toList();
    ProxyConfig built =
        new ProxyConfig(
            parsed.listen(),
            parsed.admin(),
            parsed.workers(),
            parsed.accept(),
            parsed.keepalive(),
            parsed.http(),
            parsed.shutdownTimeout(),
            unwritten,
            parsed.upstreams(),
            parsed.routes(),
            parsed.waf());
    assertEquals(parsed.pools(), built.pools());
  }
}
