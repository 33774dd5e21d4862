package dev.tpp.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.ConfigHash;
import dev.tpp.config.ConfigLoader;
import dev.tpp.proxy.reload.ConfigMapDir;
import dev.tpp.proxy.reload.ConfigReloader;
import dev.tpp.proxy.reload.ConfigWatcher;
import dev.tpp.proxy.testing.Metrics;
import dev.tpp.proxy.testing.TestProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload under continuous keepalive load: config changes arrive as kubelet-style ConfigMap
 * updates and are picked up by the {@link ConfigWatcher}; pools resize and swap, workers change
 * (listening sockets re-homed), WAF rules come and go, routes appear and a route's answer changes;
 * invalid configs are rejected. No request may fail. The WAF is {@link MarkerWaf}; /hello is
 * proxied to an upstream whose endpoint moves between two real origins, one answering "hello-a",
 * the other "hello-b".
 */
class HotReloadIT {
  static final String MARKER = "evil-marker";

  /**
   * Origin port by the body it answers; the upstream's endpoint is the one for {@link State#body}.
   */
  static final java.util.Map<String, Integer> ORIGINS =
      new java.util.concurrent.ConcurrentHashMap<>();

  static final List<com.sun.net.httpserver.HttpServer> SERVERS = new ArrayList<>();
  static final List<ExecutorService> ORIGIN_THREADS = new ArrayList<>();

  @org.junit.jupiter.api.BeforeAll
  static void origins() throws java.io.IOException {
    // Without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs: ~40
    // ms a response.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    for (String body : List.of("hello-a", "hello-b")) {
      com.sun.net.httpserver.HttpServer origin =
          com.sun.net.httpserver.HttpServer.create(
              new java.net.InetSocketAddress("127.0.0.1", 0), 128);
      byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      origin.createContext(
          "/",
          exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
          });
      ExecutorService threads = Executors.newFixedThreadPool(4);
      origin.setExecutor(threads);
      origin.start();
      ORIGIN_THREADS.add(threads);
      SERVERS.add(origin);
      ORIGINS.put(body, origin.getAddress().getPort());
    }
  }

  @org.junit.jupiter.api.AfterAll
  static void stopOrigins() {
    SERVERS.forEach(o -> o.stop(0));
    ORIGIN_THREADS.forEach(ExecutorService::shutdownNow);
  }

  /**
   * The parts of the config the test changes; {@code broken} makes it invalid in one of three ways.
   */
  record State(
      int workers,
      boolean reusePort,
      int threads,
      int maxQueue,
      String overflow,
      String rules,
      boolean extraRoute,
      String body,
      int broken) {

    String yaml() {
      String pools =
          broken == 1
              ? "pools: [{name: waf, threads: -1, maxQueue: 64, overflow: reject}]"
              : "pools: [{name: waf, threads: %d, maxQueue: %d, overflow: %s}]"
                  .formatted(threads, maxQueue, overflow);
      String yaml =
          """
          listen: {address: 127.0.0.1, port: 0}
          admin: {address: 127.0.0.1, port: 0}
          workers: %d
          accept: {reusePort: %s}
          shutdownTimeout: 5s
          %s
          waf: {enabled: true, pool: waf, mode: block, rules: "%s"}
          upstreams: [{name: backend, endpoints: ["127.0.0.1:%d"], keepaliveConnections: 8}]
          routes:
            - {path: /hello, upstream: backend}
          """
              .formatted(
                  workers, reusePort, pools, broken == 3 ? "BROKEN" : rules, ORIGINS.get(body));
      if (extraRoute) {
        yaml += "  - {path: /extra, return: {status: 200, body: extra}}\n";
      }
      return broken == 2 ? yaml + "routes: [\n" : yaml;
    }

    State with(UnaryOperator<State> change) {
      return change.apply(this);
    }
  }

  record Step(String name, UnaryOperator<State> change) {}

  static final List<Step> CYCLE =
      List.of(
          new Step(
              "pool threads 2->8",
              s ->
                  new State(
                      s.workers,
                      s.reusePort,
                      8,
                      s.maxQueue,
                      s.overflow,
                      s.rules,
                      s.extraRoute,
                      s.body,
                      0)),
          new Step(
              "pool threads 8->2",
              s ->
                  new State(
                      s.workers,
                      s.reusePort,
                      2,
                      s.maxQueue,
                      s.overflow,
                      s.rules,
                      s.extraRoute,
                      s.body,
                      0)),
          new Step(
              "maxQueue 64->128",
              s ->
                  new State(
                      s.workers,
                      s.reusePort,
                      s.threads,
                      128,
                      s.overflow,
                      s.rules,
                      s.extraRoute,
                      s.body,
                      0)),
          new Step(
              "overflow reject->inline",
              s ->
                  new State(
                      s.workers,
                      s.reusePort,
                      s.threads,
                      s.maxQueue,
                      "inline",
                      s.rules,
                      s.extraRoute,
                      s.body,
                      0)),
          new Step(
              "workers 1->3",
              s ->
                  new State(
                      3,
                      s.reusePort,
                      s.threads,
                      s.maxQueue,
                      s.overflow,
                      s.rules,
                      s.extraRoute,
                      s.body,
                      0)),
          new Step(
              "WAF rule added",
              s ->
                  new State(
                      s.workers,
                      s.reusePort,
                      s.threads,
                      s.maxQueue,
                      s.overflow,
                      MARKER,
                      s.extraRoute,
                      s.body,
                      0)),
          new Step(
              "route added",
              s ->
                  new State(
                      s.workers,
                      s.reusePort,
                      s.threads,
                      s.maxQueue,
                      s.overflow,
                      s.rules,
                      true,
                      s.body,
                      0)),
          new Step(
              "upstream endpoint moved to origin b",
              s ->
                  new State(
                      s.workers,
                      s.reusePort,
                      s.threads,
                      s.maxQueue,
                      s.overflow,
                      s.rules,
                      s.extraRoute,
                      "hello-b",
                      0)),
          new Step(
              "invalid: validation error",
              s ->
                  new State(
                      s.workers,
                      s.reusePort,
                      s.threads,
                      s.maxQueue,
                      s.overflow,
                      s.rules,
                      s.extraRoute,
                      s.body,
                      1)),
          new Step(
              "overflow inline->reject",
              s ->
                  new State(
                      s.workers,
                      s.reusePort,
                      s.threads,
                      s.maxQueue,
                      "reject",
                      s.rules,
                      s.extraRoute,
                      s.body,
                      0)),
          new Step(
              "workers 3->2",
              s ->
                  new State(
                      2,
                      s.reusePort,
                      s.threads,
                      s.maxQueue,
                      s.overflow,
                      s.rules,
                      s.extraRoute,
                      s.body,
                      0)),
          new Step(
              "WAF rule removed",
              s ->
                  new State(
                      s.workers,
                      s.reusePort,
                      s.threads,
                      s.maxQueue,
                      s.overflow,
                      "",
                      s.extraRoute,
                      s.body,
                      0)),
          new Step(
              "invalid: YAML syntax",
              s ->
                  new State(
                      s.workers,
                      s.reusePort,
                      s.threads,
                      s.maxQueue,
                      s.overflow,
                      s.rules,
                      s.extraRoute,
                      s.body,
                      2)),
          new Step(
              "maxQueue 128->64",
              s ->
                  new State(
                      s.workers,
                      s.reusePort,
                      s.threads,
                      64,
                      s.overflow,
                      s.rules,
                      s.extraRoute,
                      s.body,
                      0)),
          new Step(
              "route removed",
              s ->
                  new State(
                      s.workers,
                      s.reusePort,
                      s.threads,
                      s.maxQueue,
                      s.overflow,
                      s.rules,
                      false,
                      s.body,
                      0)),
          new Step(
              "invalid: WAF rule does not compile",
              s ->
                  new State(
                      s.workers,
                      s.reusePort,
                      s.threads,
                      s.maxQueue,
                      s.overflow,
                      s.rules,
                      s.extraRoute,
                      s.body,
                      3)),
          new Step(
              "upstream endpoint moved back to origin a",
              s ->
                  new State(
                      s.workers,
                      s.reusePort,
                      s.threads,
                      s.maxQueue,
                      s.overflow,
                      s.rules,
                      s.extraRoute,
                      "hello-a",
                      0)),
          new Step(
              "workers 2->1",
              s ->
                  new State(
                      1,
                      s.reusePort,
                      s.threads,
                      s.maxQueue,
                      s.overflow,
                      s.rules,
                      s.extraRoute,
                      s.body,
                      0)),
          new Step(
              "accept: shared acceptor",
              s ->
                  new State(
                      s.workers,
                      false,
                      s.threads,
                      s.maxQueue,
                      s.overflow,
                      s.rules,
                      s.extraRoute,
                      s.body,
                      0)),
          new Step(
              "accept: reusePort",
              s ->
                  new State(
                      s.workers,
                      true,
                      s.threads,
                      s.maxQueue,
                      s.overflow,
                      s.rules,
                      s.extraRoute,
                      s.body,
                      0)));

  @Test
  void appliesConfigChangesUnderLoadWithoutFailingARequest(@TempDir Path tmp) throws Exception {
    State state = new State(1, true, 2, 64, "reject", "", false, "hello-a", 0);
    ConfigMapDir configMap = ConfigMapDir.create(tmp, state.yaml());
    int applied = 0;
    int rejected = 0;
    long slowestMs = 0;
    List<String> log = new ArrayList<>();
    try (TestProxy proxy = TestProxy.start(state.yaml(), tmp, new MarkerWaf());
        ConfigWatcher watcher =
            ConfigWatcher.start(
                configMap.file(),
                new ConfigReloader(
                    configMap.file(), proxy.server(), Files.readAllBytes(configMap.file())))) {
      assertTrue(
          visible(proxy, state, tmp), "initial config in force"); // also warms up the admin client
      checkBehaviour(proxy, state, "initial");
      // The load stops when the cycle ends (close); its own deadline is only a backstop, and must
      // outlast the cycle
      // on a loaded 2-core CI machine (27 s seen there), or the last steps find no load to check.
      KeepaliveLoad load =
          new KeepaliveLoad(proxy.port(), "/hello", Set.of("hello-a", "hello-b"), 4, 120_000);
      try (load) {
        for (int round = 0; round < 2; round++) {
          for (Step step : CYCLE) {
            State next = state.with(step.change());
            double before = proxy.metrics().value("tpp_config_reloads_total", "result", "failure");
            configMap.update(next.yaml());
            if (next.broken() != 0) {
              long ms =
                  Poll.millisUntil(
                      1000,
                      () ->
                          proxy.server().lastError() != null
                              && proxy
                                      .metrics()
                                      .value("tpp_config_reloads_total", "result", "failure")
                                  == before + 1);
              assertTrue(
                  ms >= 0 && ms <= 1000, step.name() + ": failure visible within 1 s: " + ms);
              assertEquals(
                  ConfigHash.of(ConfigLoader.parse(state.yaml(), tmp)),
                  proxy.server().configHash(),
                  step.name() + ": the last good config stays in force");
              rejected++;
              slowestMs = Math.max(slowestMs, ms);
              log.add(step.name() + " rejected in " + ms + " ms: " + proxy.server().lastError());
              continue;
            }
            long ms = Poll.millisUntil(1000, () -> visible(proxy, next, tmp));
            assertTrue(
                ms >= 0 && ms <= 1000,
                step.name() + ": visible in /config and metrics within 1 s: " + ms);
            checkBehaviour(proxy, next, step.name());
            long served = load.ok.get();
            assertTrue(
                Poll.millisUntil(3000, () -> load.ok.get() >= served + 200) >= 0,
                step.name() + ": the load goes on under the new config");
            state = next;
            applied++;
            slowestMs = Math.max(slowestMs, ms);
            log.add(step.name() + " in " + ms + " ms");
          }
        }
      }
      State last = state;
      assertTrue(
          Poll.millisUntil(5000, () -> workerLabels(proxy.metrics()) == last.workers()) >= 0,
          "worker labels are 0..N-1 once the old workers stopped");
      Metrics m = proxy.metrics();
      double errors5xx = 0;
      for (int status = 500; status < 600; status++) {
        errors5xx += m.value("tpp_http_requests_total", "status", Integer.toString(status));
      }
      log.forEach(line -> System.out.println("HotReloadIT: " + line));
      System.out.printf(
          "HotReloadIT summary: changes applied=%d rejected=%d slowest visible=%d ms; requests sent=%d "
              + "ok=%d failed=%d closed-before-response=%d reconnects(Connection: close)=%d server 5xx=%.0f%n",
          applied,
          rejected,
          slowestMs,
          load.sent.get(),
          load.ok.get(),
          load.failures.size(),
          load.closedBeforeResponse.get(),
          load.reconnects.get(),
          errors5xx);
      assertTrue(load.failures.isEmpty(), "failed requests: " + load.failures);
      assertEquals(
          0, load.closedBeforeResponse.get(), "no request hit a connection closing under it");
      assertEquals(0, errors5xx, "no 5xx");
      assertTrue(applied >= 30, "applied " + applied);
      assertTrue(load.ok.get() > 1000, "load ran: " + load.ok.get());
      assertEquals(applied, (int) m.value("tpp_config_reloads_total", "result", "success"));
      assertEquals(rejected, (int) m.value("tpp_config_reloads_total", "result", "failure"));
    }
  }

  /**
   * /config and tpp_config_info name the new hash; the pool and worker meters show the new sizes.
   */
  private static boolean visible(TestProxy proxy, State next, Path dir) throws Exception {
    String hash = ConfigHash.of(ConfigLoader.parse(next.yaml(), dir));
    if (!proxy.admin("/config").body().contains("\"hash\": \"" + hash + "\"")) {
      return false;
    }
    Metrics m = proxy.metrics();
    return m.value("tpp_config_info", "hash", hash) == 1
        && m.value("tpp_pool_threads", "pool", "waf") == next.threads()
        && m.value("tpp_pool_queue_capacity", "pool", "waf") == next.maxQueue()
        && m.has("tpp_connections_active", "worker", Integer.toString(next.workers() - 1));
  }

  private static void checkBehaviour(TestProxy proxy, State s, String step) throws Exception {
    assertEquals(
        s.rules().contains(MARKER) ? 403 : 200,
        proxy.get("/hello?q=" + MARKER).statusCode(),
        step + ": the WAF marker rule blocks only while configured");
    assertEquals(
        s.extraRoute() ? 200 : 404, proxy.get("/extra").statusCode(), step + ": /extra route");
    assertEquals(s.body(), proxy.get("/hello").body(), step + ": new requests see the new answer");
  }

  private static int workerLabels(Metrics m) {
    int n = 0;
    while (m.has("tpp_connections_active", "worker", Integer.toString(n))) {
      n++;
    }
    return m.has("tpp_connections_active", "worker", Integer.toString(n + 1)) ? -1 : n;
  }
}
