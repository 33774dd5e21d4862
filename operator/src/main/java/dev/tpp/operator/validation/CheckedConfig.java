package dev.tpp.operator.validation;

/**
 * A spec that passed every check: the proxy.yaml to publish and its hash (what the pods' /config
 * will report).
 */
public record CheckedConfig(String yaml, String hash) {}
