package dev.tpp.proxy.waf.conformance;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The CRS test suite's backend (albedo's behaviour): {@code POST /reflect} with a JSON body {@code
 * {"status", "headers", "body"}} (or {@code "encodedBody"}, base64) answers with exactly that
 * response, so the WAF's response phases see what the test wants; any other request gets {@code 200
 * ok}. Its own threads; test-only.
 */
final class ReflectBackend implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);

  ReflectBackend() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      byte[] request = in.readAllBytes();
      Map<?, ?> spec =
          exchange.getRequestURI().getPath().equals("/reflect") ? parse(request) : null;
      if (spec == null) {
        respond(exchange, 200, "ok\n".getBytes(StandardCharsets.US_ASCII));
        return;
      }
      if (spec.get("headers") instanceof Map<?, ?> headers) {
        headers.forEach(
            (k, v) -> exchange.getResponseHeaders().add(String.valueOf(k), String.valueOf(v)));
      }
      if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
        exchange
            .getResponseHeaders()
            .set("Content-Type", "text/plain; charset=utf-8"); // as Go's net/http sniffs text
      }
      byte[] body =
          spec.get("encodedBody") != null
              ? Base64.getMimeDecoder().decode(String.valueOf(spec.get("encodedBody")))
              : String.valueOf(spec.get("body") == null ? "" : spec.get("body"))
                  .getBytes(StandardCharsets.UTF_8);
      int status = spec.get("status") instanceof Number n ? n.intValue() : 200;
      respond(exchange, status, body);
    }
  }

  private static Map<?, ?> parse(byte[] json) {
    try {
      Object doc =
          new Yaml(new SafeConstructor(new LoaderOptions()))
              .load(new String(json, StandardCharsets.UTF_8));
      return doc instanceof Map<?, ?> m ? m : null;
    } catch (RuntimeException e) {
      return null; // not JSON: an ordinary request
    }
  }

  private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
