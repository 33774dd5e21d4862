package dev.tpp.config;

import java.time.Duration;

/**
 * Request-head limits ({@code http:}, an extension of the contract's file with nginx-like defaults): a request line
 * longer than {@code maxRequestLine} gets 414, headers larger than {@code maxHeaderSize} get 431, and a client that has
 * not sent a whole request head within {@code headerTimeout} is disconnected (with 408 if it sent part of one).
 */
public record HttpLimits(Duration headerTimeout, int maxRequestLine, int maxHeaderSize) {}
