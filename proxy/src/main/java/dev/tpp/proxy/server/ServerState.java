package dev.tpp.proxy.server;

import dev.tpp.proxy.http2.Http2Metrics;
import dev.tpp.proxy.metrics.ProxyMetrics;
import dev.tpp.proxy.tls.TlsContexts;

/**
 * What every connection reads from the server: the config generation in force, metrics, whether it
 * drains, and the TLS certificates in force.
 */
interface ServerState {
  Generation generation();

  ProxyMetrics metrics();

  boolean draining();

  /** The TLS listeners' certificates in force. */
  TlsContexts tls();

  Http2Metrics http2Metrics();
}
