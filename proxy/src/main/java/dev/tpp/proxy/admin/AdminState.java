package dev.tpp.proxy.admin;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What the admin endpoints report about the running proxy. Read from the admin loop;
 * implementations are thread-safe.
 */
public interface AdminState {
  String configHash();

  Instant loadedAt();

  /** The last reload's error, or null when the last attempt succeeded. */
  @Nullable String lastError();

  boolean draining();

  /** Prometheus text exposition. */
  String scrape();
}
