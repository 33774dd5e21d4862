package dev.tpp.operator.dependent;

import java.util.Map;

/**
 * Operator-wide settings from the environment: the default proxy image ({@code TPP_PROXY_IMAGE})
 * and, for mode KEDA, the Prometheus that ScaledObjects query ({@code TPP_PROMETHEUS_URL}).
 */
public record OperatorSettings(String defaultImage, String prometheusUrl) {
  public static final String DEFAULT_IMAGE = "ghcr.io/tpp/tpp-proxy:latest";
  public static final String DEFAULT_PROMETHEUS = "http://prometheus-operated.monitoring.svc:9090";

  /** Reads the settings from {@code env}, with defaults. */
  public static OperatorSettings fromEnv(Map<String, String> env) {
    return new OperatorSettings(
        env.getOrDefault("TPP_PROXY_IMAGE", DEFAULT_IMAGE),
        env.getOrDefault("TPP_PROMETHEUS_URL", DEFAULT_PROMETHEUS));
  }
}
