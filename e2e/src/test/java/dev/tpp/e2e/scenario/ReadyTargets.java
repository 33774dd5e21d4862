package dev.tpp.e2e.scenario;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The base URLs ({@code http://IP:8080}) of a ThreadPoolProxy's ready pods, not being deleted, by
 * pod name, for {@link KeepaliveLoad}: what a Service's endpoints would hold. Refreshed from the
 * API every 250 ms on a thread of its own, so clients never wait for the API; when the API does not
 * answer, the last list stays (as kube-proxy keeps its rules while the API server is away). The
 * first list is read before the constructor returns.
 */
final class ReadyTargets implements Supplier<List<String>>, AutoCloseable {
  private final Tpp tpp;
  private final ScheduledExecutorService refresh =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "ready-targets");
            t.setDaemon(true);
            return t;
          });
  private volatile List<String> last;

  ReadyTargets(Tpp tpp) {
    this.tpp = tpp;
    this.last = read();
    refresh.scheduleWithFixedDelay(this::refresh, 250, 250, TimeUnit.MILLISECONDS);
  }

  private List<String> read() {
    return tpp.readyPods().stream()
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .map(Pod::getStatus)
        .map(s -> "http://" + s.getPodIP() + ":8080")
        .toList();
  }

  private void refresh() {
    try {
      last = read();
    } catch (RuntimeException e) {
      // the API server is away: keep the last list
    }
  }

  @Override
  public List<String> get() {
    return last;
  }

  @Override
  public void close() {
    refresh.shutdownNow();
  }
}
