package dev.tpp.config;

import org.jspecify.annotations.Nullable;

/**
 * One data-port listener. The main one comes from {@code listen:} and is named {@value #MAIN}; more
 * come from {@code listeners:}. {@code tls} is null on a plain listener. {@code redirectToHttps} is
 * the port that a plain listener's requests are redirected to ({@code 308} to {@code
 * https://host:port/...}, the port left out when it is 443), or 0 to serve them.
 */
public record ListenerConfig(
    String name, Endpoint endpoint, boolean http2, int redirectToHttps, @Nullable TlsConfig tls) {
  /** The name of the listener that {@code listen:} configures. */
  public static final String MAIN = "http";

  public boolean secure() {
    return tls != null;
  }
}
