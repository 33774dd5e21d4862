package dev.tpp.proxy.testing;

import dev.tpp.config.ConfigLoader;
import dev.tpp.config.ProxyConfig;
import dev.tpp.proxy.server.GenerationBuilder;
import dev.tpp.proxy.server.ProxyServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real proxy on ephemeral loopback ports for integration tests: the YAML goes through the real
 * loader and validator, the server binds real sockets. {@code listen}/{@code admin} are added when
 * the YAML lacks them.
 */
public final class TestProxy implements AutoCloseable {
  private final ProxyServer server;
  private final HttpClient client =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  private TestProxy(ProxyServer server) {
    this.server = server;
  }

  public static TestProxy start(String yaml) throws Exception {
    return start(yaml, Path.of("."), null);
  }

  /**
   * Starts with {@code wafCompiler} (null: the real SecLang engine) and relative paths resolved
   * against {@code baseDir}.
   */
  public static TestProxy start(
      String yaml, Path baseDir, GenerationBuilder.WafCompiler wafCompiler) throws Exception {
    return start(yaml, baseDir, wafCompiler, null);
  }

  /**
   * As above, with route handlers from {@code handlers} where it answers (null: the built-in ones
   * only).
   */
  public static TestProxy start(
      String yaml,
      Path baseDir,
      GenerationBuilder.WafCompiler wafCompiler,
      GenerationBuilder.HandlerOverride handlers)
      throws Exception {
    LoopGuard.installIfEnabled();
    LoopGuard.reset();
    ProxyConfig config = ConfigLoader.parse(withEphemeralPorts(yaml), baseDir);
    return new TestProxy(ProxyServer.start(config, wafCompiler, handlers));
  }

  /**
   * {@code yaml} with loopback ephemeral {@code listen}/{@code admin} added where it has none (for
   * reloads).
   */
  public static String withEphemeralPorts(String yaml) {
    String out = yaml;
    if (!yaml.contains("listen:")) {
      out = "listen: {address: 127.0.0.1, port: 0}\n" + out;
    }
    if (!yaml.contains("admin:")) {
      out = "admin: {address: 127.0.0.1, port: 0}\n" + out;
    }
    return out;
  }

  public ProxyServer server() {
    return server;
  }

  public int port() {
    return server.port();
  }

  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
  }

  public HttpClient client() {
    return client;
  }

  public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> post(String pathAndQuery, byte[] body)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(uri(pathAndQuery))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GET on the admin port. */
  public HttpResponse<String> admin(String path) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The current metrics, scraped over HTTP from the admin port as Prometheus would. */
  public Metrics metrics() throws IOException, InterruptedException {
    return new Metrics(admin("/metrics").body());
  }

  @Override
  public void close() throws Exception {
    server.close();
    if (!LoopGuard.violations().isEmpty()) {
      throw new AssertionError("blocking calls on event loops: " + LoopGuard.violations());
    }
  }
}
