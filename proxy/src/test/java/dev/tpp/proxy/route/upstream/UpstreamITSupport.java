package dev.tpp.proxy.route.upstream;

import dev.tpp.config.UpstreamConfig;
import dev.tpp.config.UpstreamConfig.HostPort;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * What the upstream ITs share: a real origin, the real proxy in front of it ({@link ProxyHarness}),
 * an HTTP/1.1 client, and the cleanup.
 */
abstract class UpstreamITSupport {
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  TestOrigin origin;
  ProxyHarness proxy;

  static UpstreamConfig config(int port, int keepalive, Duration responseTimeout) {
    return new UpstreamConfig(
        "backend",
        List.of(new HostPort("127.0.0.1", port)),
        keepalive,
        Duration.ofSeconds(1),
        responseTimeout);
  }

  void start(int keepalive, Duration responseTimeout) throws Exception {
    origin = new TestOrigin();
    proxy = new ProxyHarness(config(origin.port(), keepalive, responseTimeout));
  }

  HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(proxy.uri(path)).timeout(Duration.ofSeconds(10)).build(),
        BodyHandlers.ofString());
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (origin != null) {
      origin.close();
    }
  }
}
