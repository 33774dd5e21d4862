package dev.tpp.proxy.route.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.UpstreamConfig;
import dev.tpp.config.UpstreamConfig.HostPort;
import dev.tpp.proxy.reload.ConfigWatcher;
import dev.tpp.proxy.reload.EndpointsReloader;
import dev.tpp.proxy.testing.Await;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * endpoints.yaml beside the config, watched for real: sets change without a reload; a bad file
 * keeps the last.
 */
class EndpointsFileIT {
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<TestOrigin> origins = new ArrayList<>();
  private final EndpointDirectory directory = new EndpointDirectory();
  @TempDir Path dir;
  private Path file;
  private ProxyHarness proxy;
  private ConfigWatcher watcher;

  @BeforeEach
  void start() throws Exception {
    for (int i = 0; i < 3; i++) {
      origins.add(new TestOrigin());
    }
    file = dir.resolve("endpoints.yaml");
    UpstreamConfig config =
        new UpstreamConfig(
            "backend",
            List.of(new HostPort("127.0.0.1", origins.get(0).port())),
            4,
            Duration.ofSeconds(1),
            Duration.ofSeconds(10));
    proxy = new ProxyHarness(config, true, 1, directory);
    watcher =
        ConfigWatcher.start(file, new EndpointsReloader(file, directory), "tpp-endpoints-watcher");
  }

  @AfterEach
  void stop() throws Exception {
    watcher.close();
    proxy.close();
    origins.forEach(TestOrigin::close);
  }

  private void write(String yaml) throws Exception {
    Path tmp = dir.resolve(".endpoints.tmp");
    Files.writeString(tmp, yaml);
    Files.move(
        tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE); // as the kubelet swaps ..data
  }

  private String endpoints(int... origin) {
    List<String> list = new ArrayList<>();
    for (int o : origin) {
      list.add("'127.0.0.1:" + origins.get(o).port() + "'");
    }
    return "upstreams:\n  - {name: backend, endpoints: [" + String.join(", ", list) + "]}\n";
  }

  private int get() throws Exception {
    return client
        .send(HttpRequest.newBuilder(proxy.uri("/echo")).build(), BodyHandlers.discarding())
        .statusCode();
  }

  private void awaitServedBy(int origin) throws Exception {
    Await.until(
        "origin " + origin + " serves",
        () -> {
          get();
          return origins.get(origin).seen.size() > 0;
        });
  }

  @Test
  void swapsTheSetWhenTheFileChangesAndKeepsItWhenTheFileIsBad() throws Exception {
    assertEquals(200, get());
    write(endpoints(1, 2));
    Await.until("the file's set is in force", () -> proxy.upstream.endpoints().size() == 2);
    int before = origins.get(0).seen.size();
    for (int i = 0; i < 6; i++) {
      assertEquals(200, get());
    }
    assertEquals(before, origins.get(0).seen.size(), "the configured endpoint is replaced");
    assertEquals(3, origins.get(1).seen.size());
    assertEquals(3, origins.get(2).seen.size());

    EndpointsReloader direct =
        new EndpointsReloader(file, directory); // synchronous, beside the watcher
    write("upstreams:\n  - {name: backend, endpoints: [not-an-endpoint, '127.0.0.1:0']}\n");
    assertFalse(direct.reloadIfChanged("test"), "a malformed file is rejected");
    assertEquals(2, proxy.upstream.endpoints().size(), "the last good set stays");
    for (int i = 0; i < 4; i++) {
      assertEquals(200, get());
    }
    assertEquals(before, origins.get(0).seen.size());
  }

  @Test
  void anEmptySetAnswers503AndAFileWithoutTheUpstreamGivesTheConfigBack() throws Exception {
    write("upstreams:\n  - {name: backend, endpoints: []}\n");
    Await.until("the set is empty", () -> proxy.upstream.endpoints().isEmpty());
    assertEquals(503, get());
    write("upstreams: []\n");
    Await.until("the configured endpoint is back", () -> proxy.upstream.endpoints().size() == 1);
    awaitServedBy(0);
    assertFalse(Files.readString(file).contains("backend"));
    assertTrue(proxy.count("no_endpoint") >= 1);
  }
}
