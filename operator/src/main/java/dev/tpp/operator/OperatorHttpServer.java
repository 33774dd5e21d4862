package dev.tpp.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The operator's own tiny admin server (JDK HttpServer): {@code /metrics} (JOSDK's Micrometer
 * metrics, Prometheus text) and {@code /healthz} (200 once started and every informer is healthy).
 * One thread; requests are cheap.
 */
public final class OperatorHttpServer {
  private OperatorHttpServer() {}

  public static HttpServer start(int port, PrometheusMeterRegistry registry, Operator operator)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
    server.createContext(
        "/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4", registry.scrape()));
    server.createContext(
        "/healthz",
        ex -> {
          var info = operator.getRuntimeInfo();
          boolean healthy = info.isStarted() && info.allEventSourcesAreHealthy();
          reply(
              ex, healthy ? 200 : 503, "text/plain", healthy ? "ok\n" : "starting or unhealthy\n");
        });
    server.start();
    return server;
  }

  private static void reply(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
