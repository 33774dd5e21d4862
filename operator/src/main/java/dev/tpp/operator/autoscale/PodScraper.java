package dev.tpp.operator.autoscale;

import java.util.List;
import java.util.Optional;

/** Reads ready pods' admin endpoints. I/O; an interface so tests can stand in for real pods. */
public interface PodScraper {

  /** A ready pod's admin address. */
  record Target(String pod, String ip, int adminPort) {}

  /** What one pod answered; empty parts where its endpoint failed or lacked the data. */
  record Scrape(String pod, Optional<BlockHistogram> histogram, Optional<String> configHash) {}

  /** Scrapes {@code /metrics} (when {@code withMetrics}) and {@code /config} of every target, in parallel. */
  List<Scrape> scrape(List<Target> targets, boolean withMetrics);
}
