package dev.tpp.operator.autoscale;

import java.util.List;
import java.util.Optional;

/** Reads ready pods' admin endpoints. I/O; an interface so tests can stand in for real pods. */
public interface PodScraper {

  /** A ready pod's admin address. */
  record Target(String pod, String ip, int adminPort) {}

  /**
   * What one pod answered; empty parts where its endpoint failed or lacked the data. {@code
   * histogram} is the block time, {@code poolWait} the pools' queue wait ({@code
   * tpp_pool_task_wait_seconds}, summed across pools).
   */
  record Scrape(
      String pod,
      Optional<BlockHistogram> histogram,
      Optional<String> configHash,
      Optional<BlockHistogram> poolWait) {
    /** A pod without pool-wait buckets (or scraped without them). */
    public Scrape(String pod, Optional<BlockHistogram> histogram, Optional<String> configHash) {
      this(pod, histogram, configHash, Optional.empty());
    }
  }

  /**
   * Scrapes {@code /metrics} (when {@code withMetrics}) and {@code /config} of every target, in
   * parallel.
   */
  List<Scrape> scrape(List<Target> targets, boolean withMetrics);
}
