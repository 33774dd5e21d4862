package dev.tpp.config;

/**
 * The keys of {@code listen:} beyond its address and port: {@code http2} (h2c) and {@code
 * redirectToHttps}.
 */
public record ListenOptions(boolean http2, int redirectToHttps) {
  public static final ListenOptions DEFAULT = new ListenOptions(false, 0);
}
