package dev.tpp.proxy.admin;

import java.time.Instant;

/**
 * What the admin endpoints report about the running proxy. Read from the admin loop;
 * implementations are thread-safe.
 */
public interface AdminState {
  String configHash();

  Instant loadedAt();

  /** The last reload's error, or null when the last attempt succeeded. */
  String lastError();

  boolean draining();

  /** Prometheus text exposition. */
  String scrape();
}
