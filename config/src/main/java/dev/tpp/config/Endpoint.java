package dev.tpp.config;

/** An address and port to listen on ({@code listen:}, {@code admin:}). */
public record Endpoint(String address, int port) {}
