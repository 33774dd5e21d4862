package dev.tpp.operator.autoscale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@link PodScraper} over the JDK HttpClient: {@code GET http://POD_IP:ADMIN/metrics} and {@code
 * /config}, all pods at once, each request bounded by a timeout. Called from the reconciler's
 * thread, which waits for the round.
 */
public final class HttpPodScraper implements PodScraper {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client;
  private final Duration timeout;

  public HttpPodScraper(Duration timeout) {
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.timeout = timeout;
  }

  @Override
  public List<Scrape> scrape(List<Target> targets, boolean withMetrics) {
    List<CompletableFuture<Scrape>> rounds =
        targets.stream().map(t -> scrapeOne(t, withMetrics)).toList();
    return rounds.stream().map(CompletableFuture::join).toList();
  }

  private CompletableFuture<Scrape> scrapeOne(Target target, boolean withMetrics) {
    String base = "http://" + hostLiteral(target.ip()) + ":" + target.adminPort();
    CompletableFuture<Optional<String>> metrics =
        withMetrics ? get(base + "/metrics") : CompletableFuture.completedFuture(Optional.empty());
    CompletableFuture<Optional<String>> hash =
        get(base + "/config").thenApply(body -> body.flatMap(this::hash));
    return metrics.thenCombine(
        hash,
        (m, h) ->
            new Scrape(
                target.pod(),
                m.flatMap(BlockHistogram::parse),
                h,
                m.flatMap(text -> BlockHistogram.parse(text, BlockHistogram.POOL_WAIT))));
  }

  private CompletableFuture<Optional<String>> get(String uri) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).timeout(timeout).GET().build();
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> r.statusCode() == 200 ? Optional.of(r.body()) : Optional.<String>empty())
        .exceptionally(e -> Optional.empty());
  }

  private Optional<String> hash(String json) {
    try {
      JsonNode hash = JSON.readTree(json).get("hash");
      return hash == null || hash.isNull() ? Optional.empty() : Optional.of(hash.asText());
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static String hostLiteral(String ip) {
    return ip.contains(":") ? "[" + ip + "]" : ip;
  }
}
