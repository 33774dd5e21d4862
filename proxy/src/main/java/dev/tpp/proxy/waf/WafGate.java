package dev.tpp.proxy.waf;

import dev.tpp.config.HttpLimits;
import dev.tpp.config.WafConfig;
import dev.tpp.proxy.http.ErrorResponses;
import dev.tpp.proxy.http.HttpExchange;
import dev.tpp.proxy.pool.OffloadPool;
import dev.tpp.waf.engine.RuleMatch;
import dev.tpp.waf.engine.WafEngine;
import dev.tpp.waf.engine.WafRequest;
import dev.tpp.waf.engine.WafVerdict;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a request through the WAF before its route sees it: collect the body ({@link BodyCollector}), copy the request
 * into an immutable {@link WafRequest} on the loop, run {@link WafEngine#inspect} in the WAF pool, and apply the
 * verdict back on the loop — 403 (or the rule's status) in block mode, a log line only in detect mode. Called on the
 * exchange's loop; shared by all loops of one config generation.
 */
public final class WafGate {
  private static final Logger log = LoggerFactory.getLogger("tpp.waf");

  private final WafEngine engine;
  private final WafConfig config;
  private final HttpLimits limits;
  private final OffloadPool pool;
  private final WafMetrics metrics;

  /** {@code limits} bound the spool files per worker. */
  public WafGate(WafEngine engine, WafConfig config, HttpLimits limits, OffloadPool pool, MeterRegistry registry) {
    this.engine = engine;
    this.config = config;
    this.limits = limits;
    this.pool = pool;
    this.metrics = new WafMetrics(registry);
  }

  /** Inspects {@code exchange}; runs {@code proceed} on the loop if the request may go on to its route. */
  public void inspect(HttpExchange exchange, Runnable proceed) {
    long declared = exchange.body().length();
    if (declared > config.requestBodyLimit()) {
      exchange.sendError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
          "request body larger than " + config.requestBodyLimit() + " bytes");
      return;
    }
    new BodyCollector(exchange, config, limits, pool, body -> submit(exchange, body, proceed)).start();
  }

  private void submit(HttpExchange exchange, BodyCollector.Collected body, Runnable proceed) {
    WafRequest request = snapshot(exchange, body);
    pool.submit(exchange.loop(), () -> timed(request), (result, failure) -> {
      if (failure != null) {
        discard(exchange, body);
        log.warn("event=waf_failed id={} error=\"{}\"", exchange.requestId(), failure.toString());
        exchange.sendError(ErrorResponses.statusOf(failure), "request could not be inspected");
        return;
      }
      apply(exchange, body, result, proceed);
    });
  }

  private record Timed(WafVerdict verdict, long nanos) {}

  /** Pool thread. */
  private Timed timed(WafRequest request) {
    long start = System.nanoTime();
    WafVerdict verdict = engine.inspect(request);
    return new Timed(verdict, System.nanoTime() - start);
  }

  private void apply(HttpExchange exchange, BodyCollector.Collected body, Timed result, Runnable proceed) {
    WafVerdict verdict = result.verdict();
    for (RuleMatch match : verdict.matches()) {
      metrics.ruleMatched(match.ruleId());
      log.warn("event=waf_match id={} rule={} {}", exchange.requestId(), match.ruleId(), oneLine(match.logLine()));
    }
    boolean block = verdict.disruptive() && config.mode() == WafConfig.Mode.BLOCK;
    metrics.verdict(block ? "blocked" : verdict.disruptive() ? "detected" : "passed", result.nanos());
    if (block) {
      discard(exchange, body);
      int status = verdict.status() >= 400 && verdict.status() < 600 ? verdict.status() : 403;
      exchange.sendError(HttpResponseStatus.valueOf(status), "request blocked by the WAF (id " + exchange.requestId() + ")");
      return;
    }
    exchange.replaceBody(body.file() == null ? BufferedBody.inMemory(body.memory())
        : BufferedBody.spooled(body.file(), body.length(), pool, exchange.loop()));
    exchange.onEnd(exchange.body()::discard);
    proceed.run();
  }

  private void discard(HttpExchange exchange, BodyCollector.Collected body) {
    if (body.file() != null) {
      BufferedBody.deleteSpool(body.file(), pool, exchange.loop(), null);
    }
  }

  /** Loop: an immutable copy of everything the engine may look at. */
  private static WafRequest snapshot(HttpExchange exchange, BodyCollector.Collected body) {
    var head = exchange.request();
    List<Map.Entry<String, String>> headers = new ArrayList<>(head.headers().size());
    head.headers().forEach(e -> headers.add(Map.entry(e.getKey(), e.getValue())));
    InetSocketAddress remote = exchange.remoteAddress();
    InetSocketAddress local = exchange.localAddress();
    return new WafRequest(exchange.requestId(), remote.getAddress().getHostAddress(), remote.getPort(),
        local.getAddress().getHostAddress(), local.getPort(), head.method().name(), head.uri(),
        head.protocolVersion().text(), headers, body.memory(), body.file(), body.length());
  }

  /** Escapes control characters as {@code \\xHH} (as ModSecurity's logs do), so attacker data cannot split a line. */
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
