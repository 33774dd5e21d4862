package dev.tpp.proxy.http2;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code tpp_http2_connections_active}, {@code tpp_http2_streams_active}, {@code
 * tpp_http2_resets_total{reason}} (streams the client reset, by its error code), {@code
 * tpp_http2_resets_sent_total{error}} (streams the proxy reset) and {@code
 * tpp_http2_goaways_total{error,reason}} (connections the proxy ended: a drain with {@code
 * no_error}, or a broken limit). Label values come from bounded sets. Any thread.
 */
public final class Http2Metrics {
  private final MeterRegistry registry;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger streams = new AtomicInteger();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public Http2Metrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("tpp.http2.connections.active", connections, AtomicInteger::get)
        .description("Open HTTP/2 client connections")
        .register(registry);
    Gauge.builder("tpp.http2.streams.active", streams, AtomicInteger::get)
        .description("HTTP/2 streams in progress")
        .register(registry);
  }

  void connectionOpened() {
    connections.incrementAndGet();
  }

  void connectionClosed() {
    connections.decrementAndGet();
  }

  void streamOpened() {
    streams.incrementAndGet();
  }

  void streamClosed() {
    streams.decrementAndGet();
  }

  void resetByClient(long errorCode) {
    String reason = Http2Errors.name(errorCode);
    counters
        .computeIfAbsent(
            "reset/" + reason,
            k ->
                Counter.builder("tpp.http2.resets")
                    .description("HTTP/2 streams reset by the client, by error code")
                    .tag("reason", reason)
                    .register(registry))
        .increment();
  }

  void resetByProxy(long errorCode) {
    String reason = Http2Errors.name(errorCode);
    counters
        .computeIfAbsent(
            "sent/" + reason,
            k ->
                Counter.builder("tpp.http2.resets.sent")
                    .description("HTTP/2 streams the proxy reset for a stream error, by error code")
                    .tag("error", reason)
                    .register(registry))
        .increment();
  }

  void goAway(String error, String reason) {
    String e = error.toLowerCase(Locale.ROOT);
    counters
        .computeIfAbsent(
            "goaway/" + e + "/" + reason,
            k ->
                Counter.builder("tpp.http2.goaways")
                    .description("HTTP/2 connections ended by the proxy with GOAWAY")
                    .tag("error", e)
                    .tag("reason", reason)
                    .register(registry))
        .increment();
  }
}
