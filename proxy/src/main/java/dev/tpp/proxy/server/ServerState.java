package dev.tpp.proxy.server;

import dev.tpp.proxy.metrics.ProxyMetrics;

/** What every connection reads from the server: the config generation in force, metrics, and whether it drains. */
interface ServerState {
  Generation generation();

  ProxyMetrics metrics();

  boolean draining();
}
