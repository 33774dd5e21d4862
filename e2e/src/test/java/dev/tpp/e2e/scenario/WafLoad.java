package dev.tpp.e2e.scenario;

import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * CPU-heavy, bounded load on a ThreadPoolProxy's ready pods, loopback only: {@code clients}
 * sequential clients, each POSTing {@link #BODY} as a form (the WAF fills REQUEST_BODY only for a
 * body its urlencoded processor reads, as ModSecurity does; a text/plain body would leave the rules
 * nothing to scan) with a pause between requests, stopping at {@link #stop}, after {@code
 * maxRequests} in all or at {@code deadline}, whichever comes first. Client {@code i} always sends
 * to ready pod {@code i mod n} (pods by name, re-read before each request), as keepalive
 * connections stick to one pod behind a Service: on one pod the clients overlap and overflow the
 * WAF pool onto the event loop; spread over as many pods as clients, they never overlap on a pod.
 * There is no Service data plane here, so this is the load balancer.
 */
final class WafLoad implements AutoCloseable {
  /**
   * 120 body scans the WAF cannot skip: every literal the patterns need is in the body (so no
   * prefilter rules a value out), and each line nearly matches (so the automaton walks all of it).
   * Sized for the engine's DFA, which made an earlier 30-rule set too cheap to block a loop: about
   * 6 MB of scanning per request.
   */
  static final String RULES =
      String.join(
          "\\n",
          IntStream.range(0, 120)
              .mapToObj(
                  i ->
                      "SecRule REQUEST_BODY \\\"@rx [a-z]{3}[0-9]{2}q"
                          + (i % 10)
                          + (i / 10 % 10)
                          + "[xy]{3}\\\" \\\"id:"
                          + (3000 + i)
                          + ",phase:2,pass,nolog\\\"")
              .toList());

  /** 64 KB of text that never matches: each line ends one character short of every pattern. */
  static final byte[] BODY =
      IntStream.range(0, 4096)
          .mapToObj(i -> "abc12q" + (i % 10) + (i / 10 % 10) + "xyz\n")
          .collect(java.util.stream.Collectors.joining())
          .getBytes(StandardCharsets.UTF_8);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Thread> clients = new ArrayList<>();
  private final AtomicInteger sent = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private volatile boolean stopped;

  WafLoad(
      Supplier<List<Pod>> readyPods,
      int clients,
      int maxRequests,
      Duration pause,
      Instant deadline) {
    for (int i = 0; i < clients; i++) {
      int index = i;
      Thread client =
          new Thread(
              () -> {
                while (!stopped
                    && Instant.now().isBefore(deadline)
                    && sent.incrementAndGet() <= maxRequests) {
                  List<Pod> pods =
                      readyPods.get().stream()
                          .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                          .toList();
                  if (!pods.isEmpty()) {
                    send(pods.get(index % pods.size()).getStatus().getPodIP());
                  }
                  pause(pause);
                }
              },
              "waf-load-" + i);
      client.setDaemon(true);
      this.clients.add(client);
    }
    this.clients.forEach(Thread::start);
  }

  private void send(String ip) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/upload"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofByteArray(BODY))
            .build();
    try {
      (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200
              ? completed
              : failed)
          .incrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    } catch (Exception e) {
      failed.incrementAndGet(); // counted; the next request re-reads the ready pods
    }
  }

  private void pause(Duration pause) {
    try {
      Thread.sleep(pause.toMillis()); // the client's think time: what bounds the offered load
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    }
  }

  /** Requests answered 200. */
  int completed() {
    return completed.get();
  }

  int failed() {
    return failed.get();
  }

  /** Stops the clients and waits for their last requests. */
  void stop() throws InterruptedException {
    stopped = true;
    for (Thread client : clients) {
      client.join(15_000);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
