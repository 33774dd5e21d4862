package dev.tpp.e2e.scenario;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounded GET load over keepalive connections, loopback only: {@code clients} sequential HTTP/1.1
 * clients, each with its own connection, sending {@code GET path} with {@code pause} between
 * requests to a base URL ({@code http://IP:8080}) that {@code targets} names (client {@code i}
 * takes entry {@code i mod n}, re-read before each request), until {@code maxRequests} were sent in
 * all, {@link #stop} or the deadline. A request is <em>answered</em> when it gets a 200 and
 * <em>failed</em> otherwise (another status, a reset, a timeout), with one exception a client may
 * recover from without losing anything: a refused connection (the target was not listening, so it
 * never saw the request) is retried on the next target after 50 ms, for up to 10 s; those retries
 * are counted apart. Each request is counted once. One retry is the JDK client's own, not this
 * class's: a GET it was about to send on a pooled connection it already found closed may be sent on
 * a new one (its stale-keepalive rule); a connection that closes after the request went out is
 * reported, and counted here as failed (the SIGKILL case shows it).
 */
final class KeepaliveLoad implements AutoCloseable {
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicInteger issued =
      new AtomicInteger(); // requests started: the maxRequests bound
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger refusedRetries = new AtomicInteger();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final Supplier<List<String>> targets;
  private final String path;
  private volatile boolean stopped;

  KeepaliveLoad(
      Supplier<List<String>> targets,
      String path,
      int clients,
      int maxRequests,
      Duration pause,
      Instant deadline) {
    this.targets = targets;
    this.path = path;
    for (int i = 0; i < clients; i++) {
      int index = i;
      Thread client =
          new Thread(
              () -> {
                HttpClient http =
                    HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(2))
                        .build();
                while (!stopped
                    && Instant.now().isBefore(deadline)
                    && issued.incrementAndGet() <= maxRequests) {
                  send(http, index);
                  pause(pause);
                }
              },
              "keepalive-load-" + i);
      client.setDaemon(true);
      threads.add(client);
    }
    threads.forEach(Thread::start);
  }

  private void send(HttpClient http, int index) {
    Instant giveUp = Instant.now().plusSeconds(10);
    for (int attempt = 0; ; attempt++) {
      List<String> now = targets.get();
      if (now.isEmpty()) {
        fail("no target");
        return;
      }
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(now.get((index + attempt) % now.size()) + path))
              .timeout(Duration.ofSeconds(10))
              .build();
      try {
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == 200) {
          answered.incrementAndGet();
        } else {
          fail("status " + status);
        }
        return;
      } catch (ConnectException e) {
        if (Instant.now().isAfter(giveUp)) {
          fail("refused for 10s: " + e);
          return;
        }
        refusedRetries.incrementAndGet();
        pause(Duration.ofMillis(50));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopped = true;
        return;
      } catch (Exception e) {
        fail(e.toString());
        return;
      }
    }
  }

  private void fail(String why) {
    failed.incrementAndGet();
    if (failures.size() < 10) {
      failures.add(Instant.now() + " " + why);
    }
  }

  private void pause(Duration pause) {
    if (pause.isZero()) {
      return;
    }
    try {
      Thread.sleep(
          pause.toMillis()); // think time, or a client's back-off before it retries a refused
      // connect
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    }
  }

  /** Requests sent so far (each counted once, whatever its retries). */
  int sent() {
    return answered.get() + failed.get();
  }

  int answered() {
    return answered.get();
  }

  int failed() {
    return failed.get();
  }

  /**
   * "sent 3000, answered 3000, failed 0 (connection-refused retries 0)", and the first failures if
   * any.
   */
  String summary() {
    return "sent "
        + sent()
        + ", answered "
        + answered()
        + ", failed "
        + failed()
        + " (connection-refused retries "
        + refusedRetries.get()
        + ")"
        + (failures.isEmpty() ? "" : " " + List.copyOf(failures));
  }

  /** Waits for the clients to finish on their own (maxRequests or the deadline). */
  void awaitDone(Duration limit) throws InterruptedException {
    Instant end = Instant.now().plus(limit);
    for (Thread client : threads) {
      client.join(Math.max(1, Duration.between(Instant.now(), end).toMillis()));
    }
  }

  /** Stops the clients and waits for their last requests. */
  void stop() throws InterruptedException {
    stopped = true;
    for (Thread client : threads) {
      client.join(15_000);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
