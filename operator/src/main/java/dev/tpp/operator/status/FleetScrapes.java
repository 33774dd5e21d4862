package dev.tpp.operator.status;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.autoscale.PodScraper;
import dev.tpp.operator.model.AutoscalePolicy;
import dev.tpp.operator.model.PodTemplateRenderer;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.ResourceIDMapper;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingConfiguration;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes each resource's ready pods outside reconciliation: a JOSDK {@link
 * PerResourcePollingEventSource} whose fetcher runs on its own scheduler threads ({@code
 * tpp-scrape-N}) and waits there for the pods' answers. It reads {@code /config} of every ready pod
 * every {@value #HASH_PERIOD_SECONDS} s; in autoscaling mode Operator it reads {@code /config} and
 * {@code /metrics} every {@code spec.autoscaling.interval} instead. A scrape that differs from the
 * last one reconciles the resource, which reads it from the cache with {@link #latest} and never
 * waits for a pod.
 */
public final class FleetScrapes {
  public static final String NAME = "scrapes";
  static final long HASH_PERIOD_SECONDS = 5;
  private static final Logger LOG = LoggerFactory.getLogger(FleetScrapes.class);
  private static final int THREADS = 2;

  /**
   * One scrape of a resource's ready pods. {@code round} is positive and new for each scrape that
   * read {@code /metrics} (one autoscaling window), 0 for a scrape of the config hashes only.
   */
  public record FleetScrape(long round, List<PodScraper.Scrape> scrapes) {}

  private final PodScraper scraper;
  private final InformerEventSource<Pod, ThreadPoolProxy> pods;
  private final AtomicLong rounds = new AtomicLong();

  private FleetScrapes(PodScraper scraper, InformerEventSource<Pod, ThreadPoolProxy> pods) {
    this.scraper = scraper;
    this.pods = pods;
  }

  /** The event source; {@code pods} is the informer whose cache names the pods to scrape. */
  public static PerResourcePollingEventSource<FleetScrape, ThreadPoolProxy, String> eventSource(
      EventSourceContext<ThreadPoolProxy> context,
      PodScraper scraper,
      InformerEventSource<Pod, ThreadPoolProxy> pods) {
    FleetScrapes fetcher = new FleetScrapes(scraper, pods);
    AtomicInteger threads = new AtomicInteger();
    var executor =
        new ScheduledThreadPoolExecutor(
            THREADS,
            r -> {
              Thread t = new Thread(r, "tpp-scrape-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    var configuration =
        new PerResourcePollingConfigurationBuilder<FleetScrape, ThreadPoolProxy, String>(
                new PerResourcePollingEventSource.ResourceFetcher<>() {
                  @Override
                  public Set<FleetScrape> fetchResources(ThreadPoolProxy tpp) {
                    return fetcher.fetch(tpp);
                  }

                  @Override
                  public Optional<Duration> fetchDelay(Set<FleetScrape> last, ThreadPoolProxy tpp) {
                    return Optional.of(delay(last, tpp));
                  }
                },
                Duration.ofSeconds(HASH_PERIOD_SECONDS))
            .withName(NAME)
            .withExecutorService(executor)
            .withResourceIDMapper(ResourceIDMapper.singleResourceResourceIDMapper())
            .build();
    return new Source(context, configuration);
  }

  /**
   * JOSDK's poller schedules a resource's first fetch on the resource's first event and, when that
   * fetch runs before the poller has started, drops it and never polls the resource again. At
   * operator start the primary informer starts first and replays every existing resource, so that
   * happens. This poller takes events only once it runs, and on start registers every resource
   * already known. Synchronized: informer threads and the starting thread register resources; the
   * registration itself is idempotent per resource.
   */
  static final class Source
      extends PerResourcePollingEventSource<FleetScrape, ThreadPoolProxy, String> {
    private final IndexerResourceCache<ThreadPoolProxy> primaries;

    Source(
        EventSourceContext<ThreadPoolProxy> context,
        PerResourcePollingConfiguration<FleetScrape, ThreadPoolProxy, String> configuration) {
      super(FleetScrape.class, context, configuration);
      this.primaries = context.getPrimaryCache();
    }

    @Override
    public synchronized void start() {
      super.start();
      primaries.list().forEach(super::onResourceCreated);
    }

    @Override
    public synchronized void onResourceCreated(ThreadPoolProxy tpp) {
      if (isRunning()) {
        super.onResourceCreated(tpp);
      }
    }

    @Override
    public synchronized void onResourceUpdated(ThreadPoolProxy tpp, ThreadPoolProxy old) {
      if (isRunning()) {
        super.onResourceUpdated(tpp, old);
      }
    }
  }

  /**
   * The last scrape of {@code tpp}, from the cache only (the event source's own getter would fetch
   * on the calling thread when nothing is cached yet); empty before the first one.
   */
  @SuppressWarnings("unchecked")
  public static Optional<FleetScrape> latest(
      Context<ThreadPoolProxy> context, ThreadPoolProxy tpp) {
    var source =
        (PerResourcePollingEventSource<FleetScrape, ThreadPoolProxy, String>)
            context.eventSourceRetriever().getEventSourceFor(FleetScrape.class, NAME);
    return source.getSecondaryResource(ResourceID.fromResource(tpp));
  }

  /**
   * At once for a new resource; then its autoscaling interval in mode Operator, else the hash
   * period.
   */
  static Duration delay(Set<FleetScrape> last, ThreadPoolProxy tpp) {
    AutoscalePolicy policy = AutoscalePolicy.of(tpp);
    if (last == null) {
      return Duration.ZERO;
    }
    return policy.operatorMode() ? policy.interval() : Duration.ofSeconds(HASH_PERIOD_SECONDS);
  }

  private Set<FleetScrape> fetch(ThreadPoolProxy tpp) {
    try {
      int adminPort = PodTemplateRenderer.adminPort(tpp.getSpec());
      List<PodScraper.Target> targets =
          FleetPods.readyTargets(List.copyOf(pods.getSecondaryResources(tpp)), adminPort);
      boolean withMetrics = AutoscalePolicy.of(tpp).operatorMode();
      List<PodScraper.Scrape> scrapes =
          targets.isEmpty() ? List.of() : scraper.scrape(targets, withMetrics);
      return Set.of(new FleetScrape(withMetrics ? rounds.incrementAndGet() : 0, scrapes));
    } catch (RuntimeException e) {
      // a failed fetch must not end the polling of this resource: JOSDK schedules the next one
      // after it returns
      LOG.warn(
          "event=scrape_failed namespace={} name={} error={}",
          tpp.getMetadata().getNamespace(),
          tpp.getMetadata().getName(),
          String.valueOf(e));
      return Set.of();
    }
  }
}
