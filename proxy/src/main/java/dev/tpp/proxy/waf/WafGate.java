package dev.tpp.proxy.waf;

import dev.tpp.config.HttpLimits;
import dev.tpp.config.RouteAction;
import dev.tpp.config.RouteConfig;
import dev.tpp.config.WafConfig;
import dev.tpp.proxy.http.ErrorResponses;
import dev.tpp.proxy.http.HttpExchange;
import dev.tpp.proxy.pool.OffloadPool;
import dev.tpp.waf.engine.ResponsePolicy;
import dev.tpp.waf.engine.RuleMatch;
import dev.tpp.waf.engine.WafEngine;
import dev.tpp.waf.engine.WafRequest;
import dev.tpp.waf.engine.WafResponse;
import dev.tpp.waf.engine.WafTransaction;
import dev.tpp.waf.engine.WafVerdict;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a request through the WAF before its route sees it: collect the body ({@link
 * BodyCollector}), copy the request into an immutable {@link WafRequest} on the loop, run {@link
 * WafEngine#inspect} in the WAF pool, and apply the verdict back on the loop — 403 (or the rule's
 * status) in block mode, a log line only in detect mode. When the rules have response phases, an
 * upstream route's response goes through a {@link ResponseHold}: held until phases 3 and 4 (also in
 * the pool) passed it when its body is inspected, else streamed while phases 3 and 5 log beside it.
 * Called on the exchange's loop; shared by all loops of one config generation.
 */
public final class WafGate {
  private static final Logger log = LoggerFactory.getLogger("tpp.waf");

  private final WafEngine engine;
  private final WafConfig config;
  private final HttpLimits limits;
  private final OffloadPool pool;
  private final WafMetrics metrics;
  private final WafAudit audit;

  /** {@code limits} bound the spool files per worker. */
  public WafGate(
      WafEngine engine,
      WafConfig config,
      HttpLimits limits,
      OffloadPool pool,
      MeterRegistry registry) {
    this.engine = engine;
    this.config = config;
    this.limits = limits;
    this.pool = pool;
    this.metrics = new WafMetrics(registry);
    this.audit = new WafAudit(engine, config);
  }

  /**
   * Inspects {@code exchange}; runs {@code proceed} on the loop if the request may go on to its
   * route.
   */
  public void inspect(HttpExchange exchange, Runnable proceed) {
    long declared = exchange.body().length();
    if (declared > config.requestBodyLimit()) {
      exchange.sendError(
          HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
          "request body larger than " + config.requestBodyLimit() + " bytes");
      return;
    }
    new BodyCollector(exchange, config, limits, pool, body -> submit(exchange, body, proceed))
        .start();
  }

  private void submit(HttpExchange exchange, BodyCollector.Collected body, Runnable proceed) {
    WafRequest request = snapshot(exchange, body);
    long arrived = System.currentTimeMillis();
    pool.submit(
        exchange.loop(),
        () -> timed(request),
        (result, failure) -> {
          if (failure != null) {
            discard(exchange, body);
            log.warn(
                "event=waf_failed id={} error=\"{}\"", exchange.requestId(), failure.toString());
            exchange.sendError(ErrorResponses.statusOf(failure), "request could not be inspected");
            return;
          }
          Objects.requireNonNull(result, "the pool gives a result when there is no failure");
          WafAudit.Trail trail =
              audit.begin(exchange, request, arrived, result.verdict().matches());
          apply(exchange, body, result, proceed, trail);
        });
  }

  private record Timed(WafTransaction tx, WafVerdict verdict, long nanos) {}

  /** Pool thread. */
  private Timed timed(WafRequest request) {
    long start = System.nanoTime();
    WafTransaction tx = engine.begin(request);
    return new Timed(tx, tx.requestVerdict(), System.nanoTime() - start);
  }

  /**
   * Pool thread: phases 3-5 of a transaction begun by {@link #timed}, handed over through the
   * pool's queue.
   */
  private static Timed timed(WafTransaction tx, WafResponse response) {
    long start = System.nanoTime();
    WafVerdict verdict = tx.inspectResponse(response);
    return new Timed(tx, verdict, System.nanoTime() - start);
  }

  /** Logs and counts a verdict; true when it must be enforced (block mode, and still possible). */
  private boolean judge(HttpExchange exchange, Timed result, boolean enforceable) {
    WafVerdict verdict = result.verdict();
    for (RuleMatch match : verdict.matches()) {
      metrics.ruleMatched(match.ruleId());
      log.warn(
          "event=waf_match id={} rule={} {}",
          exchange.requestId(),
          match.ruleId(),
          oneLine(match.logLine()));
    }
    boolean block = verdict.disruptive() && config.mode() == WafConfig.Mode.BLOCK && enforceable;
    return block;
  }

  private static String action(boolean block, WafVerdict verdict) {
    return block ? "blocked" : verdict.disruptive() ? "detected" : "passed";
  }

  private void apply(
      HttpExchange exchange,
      BodyCollector.Collected body,
      Timed result,
      Runnable proceed,
      WafAudit.@Nullable Trail trail) {
    WafVerdict verdict = result.verdict();
    boolean block = judge(exchange, result, true);
    metrics.verdict(action(block, verdict), result.nanos());
    if (block) {
      discard(exchange, body);
      int status = verdict.status() >= 400 && verdict.status() < 600 ? verdict.status() : 403;
      exchange.sendError(
          HttpResponseStatus.valueOf(status),
          "request blocked by the WAF (id " + exchange.requestId() + ")");
      return;
    }
    exchange.replaceBody(
        body.file() == null
            ? BufferedBody.inMemory(
                Objects.requireNonNull(body.memory(), "memory: a body not spooled is in memory"))
            : BufferedBody.spooled(body.file(), body.length(), pool, exchange.loop()));
    exchange.onEnd(exchange.body()::discard);
    holdResponse(exchange, result.tx(), trail);
    proceed.run();
  }

  /**
   * Upstream responses go through phases 3 and 4 when the rules have any; other routes answer on
   * their own.
   */
  private void holdResponse(
      HttpExchange exchange, WafTransaction tx, WafAudit.@Nullable Trail trail) {
    ResponsePolicy policy = engine.responsePolicy();
    RouteConfig route = Objects.requireNonNull(exchange.route(), "the gate sees routed exchanges");
    if (!policy.inspects() || !(route.action() instanceof RouteAction.Upstream)) {
      return;
    }
    boolean detect = config.mode() != WafConfig.Mode.BLOCK;
    if (tx.responseBodyAccess() != policy.bodyAccess() || (detect && policy.rejectOverLimit())) {
      // ctl:responseBodyAccess changed this transaction's body access; detect never refuses, so
      // Reject inspects the start of the body as ProcessPartial does
      policy =
          new ResponsePolicy(
              true,
              tx.responseBodyAccess(),
              policy.mimeTypes(),
              policy.bodyLimit(),
              policy.rejectOverLimit() && !detect);
    }
    ResponseHold hold =
        new ResponseHold(
            exchange,
            policy,
            (response, enforceable, blockStatus) -> {
              if (trail != null) {
                trail.responseSubmitted(response);
              }
              pool.submit(
                  exchange.loop(),
                  () -> timed(tx, response),
                  (result, failure) -> {
                    if (trail != null) {
                      trail.responseInspected(
                          failure == null
                              ? Objects.requireNonNull(
                                      result, "the pool gives a result when there is no failure")
                                  .verdict()
                                  .matches()
                              : List.of());
                    }
                    if (failure != null) {
                      log.warn(
                          "event=waf_failed id={} phase=response error=\"{}\"",
                          exchange.requestId(),
                          failure.toString());
                      blockStatus.accept(
                          ErrorResponses.statusOf(failure).code()); // fail closed, as for requests
                      return;
                    }
                    Objects.requireNonNull(
                        result, "the pool gives a result when there is no failure");
                    boolean block = judge(exchange, result, enforceable);
                    metrics.responseVerdict(action(block, result.verdict()), result.nanos());
                    int status = result.verdict().status();
                    blockStatus.accept(!block ? 0 : status >= 400 && status < 600 ? status : 403);
                  });
            },
            config.inMemoryBodyLimit(),
            pool,
            new SpoolFile(SpoolFile.Kind.RESPONSE, exchange, limits, pool));
    exchange.interceptResponse(hold);
    exchange.onEnd(hold::release);
  }

  private void discard(HttpExchange exchange, BodyCollector.Collected body) {
    if (body.file() != null) {
      BufferedBody.deleteSpool(body.file(), pool, exchange.loop(), null);
    }
  }

  /** Loop: an immutable copy of everything the engine may look at. */
  // the body is byte @Nullable [] in WafRequest; NullAway 0.14.3 does not see that type-use
  // annotation on a waf record's array component from here (as for AuditRecord in WafAudit)
  @SuppressWarnings("NullAway")
  private static WafRequest snapshot(HttpExchange exchange, BodyCollector.Collected body) {
    var head = exchange.request();
    List<Map.Entry<String, String>> headers = new ArrayList<>(head.headers().size());
    head.headers().forEach(e -> headers.add(Map.entry(e.getKey(), e.getValue())));
    InetSocketAddress remote = exchange.remoteAddress();
    InetSocketAddress local = exchange.localAddress();
    return new WafRequest(
        exchange.requestId(),
        remote.getAddress().getHostAddress(),
        remote.getPort(),
        local.getAddress().getHostAddress(),
        local.getPort(),
        head.method().name(),
        head.uri(),
        head.protocolVersion().text(),
        headers,
        body.memory(),
        body.file(),
        body.length());
  }

  /**
   * Escapes control characters as {@code \\xHH} (as ModSecurity's logs do), so attacker data cannot
   * split a line.
   */
  static String oneLine(String text) {
    StringBuilder b = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        if (b == null) {
          b = new StringBuilder(text.length() + 16).append(text, 0, i);
        }
        b.append(String.format("\\x%02x", (int) c));
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? text : b.toString();
  }

  public int ruleCount() {
    return engine.ruleCount();
  }
}
